// "Copy as Python SDK Code" (lazy bundle): the v2/v3 SDK code and the pipeline code of a scheduled job are written
// only when asked for, so their generators stay out of the activation bundle.
export { toPythonSdk } from '../../core/definition/export';
export { toPipelinePython } from '../../core/schedule/export';
