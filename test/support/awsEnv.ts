// SDK client options for a suite that runs where the harness set AWS_ENDPOINT_URL and the test credentials (the
// in-host suites, inside the extension host): no process spawning here, so the in-host bundle can include it.

/** Region, endpoint and credentials of the moto the harness started, from the environment. */
export function envClientOptions(): { region: string; endpoint?: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
  return {
    region: 'us-east-1',
    endpoint: process.env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
  };
}
