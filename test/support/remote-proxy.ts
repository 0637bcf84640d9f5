// A remote caller on one machine: an HTTP relay listening on one loopback address whose requests to
// the target leave from another (127.0.0.3 by default), so a class chain's gate sees them as a
// caller from elsewhere. Every byte stays on loopback; the CLI under test simply points its
// CARBON_RPC_URL at the relay.
//
// Each relayed request gets its own upstream connection, and the relay never closes an idle
// connection of its callers: it adds no keep-alive race of its own between the CLI and the gate.
import http from "node:http";

export interface RemoteProxy {
  /** http://<listen address>:<port> */
  url: string;
  close(): Promise<void>;
}

export async function startRemoteProxy(target: { host: string; port: number }, { listenHost = "127.0.0.2", fromHost = "127.0.0.3" } = {}): Promise<RemoteProxy> {
  const server = http.createServer((request, response) => {
    const upstream = http.request(
      { host: target.host, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: `${target.host}:${target.port}`, connection: "close" }, localAddress: fromHost, agent: false },
      (answer) => {
        const headers = { ...answer.headers };
        delete headers.connection;
        delete headers["keep-alive"];
        response.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => {
      // The caller sees what a vanished node looks like: its connection dropped.
      response.destroy(error);
    });
    request.pipe(upstream);
  });
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenHost, () => resolve());
  });
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://${listenHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
