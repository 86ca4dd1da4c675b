// The wrappers only the job page uses (CloudWatch metrics, the AWS Price List API), in a bundle of their own
// (dist/aws-sdk-page.js): listing, running and tailing jobs never load them, nor do schedules.
export { CloudWatchApi } from './cloudwatch';
export { PricingApi, lookupProcessingPrice } from './pricing';
