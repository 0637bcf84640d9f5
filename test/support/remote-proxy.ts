// A remote caller on one machine: a TCP relay listening on one loopback address whose connections
// to the target leave from another (127.0.0.3 by default), so a class chain's gate sees them as a
// caller from elsewhere. Every byte stays on loopback. The CLI under test simply points its
// CARBON_RPC_URL at the relay's URL.
import net from "node:net";

export interface RemoteProxy {
  /** http://<listen address>:<port> */
  url: string;
  close(): Promise<void>;
}

export async function startRemoteProxy(target: { host: string; port: number }, { listenHost = "127.0.0.2", fromHost = "127.0.0.3" } = {}): Promise<RemoteProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host, port: target.port, localAddress: fromHost });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => (socket === client ? upstream : client).destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenHost, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://${listenHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
