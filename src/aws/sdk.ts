// Every AWS SDK-backed wrapper, behind one module so the extension can load the SDK lazily, as its own bundle
// (dist/aws-sdk.js), on first use. Add new wrappers here.
export { SageMakerApi } from './sagemaker';
