// The pure parts of the live-logs follower (src/core/logs/follow.ts): exactly-once over overlapping reads, the log
// group's ARN for Live Tail, and which errors mean "no Live Tail here" (fall back to polling).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventDeduper, liveTailRefusal, logGroupArn } from '../../src/core/logs/follow';
import type { StreamEvent } from '../../src/core/logs/types';

const e = (stream: string, timestamp: number, message: string): StreamEvent => ({ stream, timestamp, message });

describe('live logs follower: pure parts', () => {
  it('dedupe: overlapping reads show each event once; two identical lines of one stream in the same ms are both kept', () => {
    const d = new EventDeduper();
    const live = new Map<string, number>();
    // A Live Tail update with two identical blank lines in the same millisecond, and one more line.
    const first = d.accept([e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 101, 'a')], live);
    assert.equal(first.length, 3);
    // A backfill that reads the same window again (a fresh read): nothing new.
    assert.deepEqual(d.accept([e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 101, 'a')], new Map()), []);
    // A later read that finds a third identical line (ingested since): only that one is new.
    assert.deepEqual(d.accept([e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 100, ' '), e('j/algo-1-1', 100, ' ')], new Map()), [e('j/algo-1-1', 100, ' ')]);
    // The same text in another stream, or at another time, is another line.
    assert.equal(d.accept([e('j/algo-2-1', 100, ' '), e('j/algo-1-1', 102, 'a')], new Map()).length, 2);
    assert.equal(d.dropped, 5);
    // Forgetting what is older than a horizon keeps the rest.
    d.prune(101);
    assert.equal(d.size, 1 + 1); // (algo-1, 101, a) and (algo-1, 102, a)
  });

  it('the log group ARN comes from the job ARN (partition, region, account); without one, the name', () => {
    assert.equal(logGroupArn('arn:aws:sagemaker:eu-west-1:111122223333:processing-job/x', '/aws/sagemaker/ProcessingJobs'),
      'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/ProcessingJobs');
    assert.equal(logGroupArn('arn:aws-cn:sagemaker:cn-north-1:111122223333:processing-job/x', '/g'), 'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/g');
    assert.equal(logGroupArn(undefined, '/g'), '/g');
  });

  it('refusals: AccessDenied → the permission; an unknown operation → the endpoint; throttling and 5xx → retried, not refused', () => {
    const err = (name: string, status: number, message = '') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    assert.match(liveTailRefusal(err('AccessDeniedException', 400, 'not authorized to perform: logs:StartLiveTail')) ?? '', /logs:StartLiveTail/);
    assert.match(liveTailRefusal(err('UnknownOperationException', 400)) ?? '', /does not offer StartLiveTail/);
    assert.match(liveTailRefusal(err('NotFound', 404)) ?? '', /does not offer StartLiveTail/);
    assert.equal(liveTailRefusal(err('ThrottlingException', 400, 'Rate exceeded')), undefined);
    assert.equal(liveTailRefusal(err('InternalFailure', 503)), undefined);
  });
});
