// The Docker Engine API's multiplexed attach stream (non-TTY): 8-byte header (stream type, 3 zero bytes, big-endian
// payload size) + payload. Frames are built here byte by byte from that layout, then fed in arbitrary chunks.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FrameDemuxer, engineAttacher } from '../../src/local/engineAttach';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.from([type, 0, 0, 0, (payload.length >>> 24) & 255, (payload.length >>> 16) & 255, (payload.length >>> 8) & 255, payload.length & 255]);
  return Buffer.concat([header, payload]);
}

test('frames come out in order with their stream, however the bytes are chunked', () => {
  const wire = Buffer.concat([frame(1, 'seq 0 out\n'), frame(2, 'seq 1 err\n'), frame(1, 'seq 2 ünïcode\n'), frame(2, ''), frame(2, 'x'.repeat(70_000))]);
  for (const size of [1, 3, 7, 8, 9, 64, wire.length]) {
    const got: string[] = [];
    const d = new FrameDemuxer((s, data) => got.push(`${s}:${data.toString('utf8').slice(0, 20)}`));
    for (let i = 0; i < wire.length; i += size) d.push(wire.subarray(i, i + size));
    assert.deepEqual(got, ['stdout:seq 0 out\n', 'stderr:seq 1 err\n', 'stdout:seq 2 ünïcode\n', 'stderr:', `stderr:${'x'.repeat(20)}`], `chunks of ${size}`);
  }
});

test('an incomplete frame waits for its remaining bytes; stdin frames (type 0) are not output', () => {
  const got: string[] = [];
  const d = new FrameDemuxer((s, data) => got.push(`${s}:${data.toString()}`));
  const f = frame(1, 'hello');
  d.push(f.subarray(0, 10));
  assert.deepEqual(got, []);
  d.push(Buffer.concat([f.subarray(10), frame(0, 'typed')]));
  assert.deepEqual(got, ['stdout:hello']);
});

test('only a unix-socket DOCKER_HOST gets an attacher', () => {
  assert.equal(typeof engineAttacher('unix:///run/x/docker.sock'), 'function');
  assert.equal(engineAttacher('tcp://127.0.0.1:2375'), undefined);
  assert.equal(engineAttacher(undefined), undefined);
});
