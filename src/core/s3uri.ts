/** Splits `s3://bucket/key` into its parts; undefined when it is not an S3 URI. Pure, so the UI bundle can use it
 * without pulling in the S3 client. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}
