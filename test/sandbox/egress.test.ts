// Egress through the allowlisting proxy, for real, on both backends: the command inside the sandbox
// reaches a listed server on the host only through the proxy; everything else is refused and
// reported; traffic that ignores the proxy has no route; DNS does not work inside.

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/bwrap.js';
import type { SpawnOptions } from '../../src/sandbox/spawn.js';
import { bwrapSkipReason, probe, pythonSkipReason } from './helpers.js';

const runscMissing = findExecutable('runsc') ? undefined : 'runsc not installed (apt-get install -y runsc)';
const base = bwrapSkipReason ?? pythonSkipReason;
const backends: { name: 'bwrap' | 'gvisor'; skip: string | undefined; timeoutMs: number }[] = [
  { name: 'bwrap', skip: base, timeoutMs: 20_000 },
  { name: 'gvisor', skip: base ?? runscMissing, timeoutMs: 60_000 },
];

let web: Server;
let port = 0;
const hits: string[] = [];
beforeAll(async () => {
  web = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('connection', 'close');
    res.end(`host says hi to ${req.url}`);
  });
  await new Promise<void>((ok) => web.listen(0, '127.0.0.1', ok));
  port = (web.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => web.close(() => ok())));

// Python's urllib honours http_proxy (plain HTTP through the proxy); the raw CONNECT goes to the
// relay named in HTTPS_PROXY, like any TLS client would.
const CLIENT = `
import urllib.request, urllib.error
def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r: return [r.status, r.read().decode()]
    except urllib.error.HTTPError as e: return [e.code, e.read().decode()]
    except Exception as e: return ['error', type(e).__name__]
def tunnel(host, port):
    proxy = os.environ['HTTPS_PROXY'].rsplit(':', 1)
    s = socket.create_connection((proxy[0].split('//')[1], int(proxy[1])), timeout=10)
    s.sendall(f'CONNECT {host}:{port} HTTP/1.1\\r\\n\\r\\nGET /tunnel HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n'.encode())
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    return data.decode('latin1')
`;

for (const b of backends) {
  describe.skipIf(b.skip !== undefined)(
    `egress allowlist on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`,
    { timeout: 120_000 },
    () => {
      const opts = (allow: { host: string; port?: number }[], extra: SpawnOptions = {}): SpawnOptions => ({
        backend: b.name,
        timeoutMs: b.timeoutMs,
        net: { mode: 'allowlist', allow },
        ...extra,
      });

      it('reaches a listed host server through the proxy (plain HTTP and CONNECT) and reports it', async () => {
        hits.length = 0;
        const { r, data } = await probe(
          `${CLIENT}
out(plain=get('http://127.0.0.1:${port}/plain'), tunnel=tunnel('127.0.0.1', ${port}).split('\\r\\n')[0::1][0:1],
    env=[os.environ.get(k) for k in ('HTTP_PROXY','https_proxy','ALL_PROXY','NO_PROXY')])`,
          opts([{ host: '127.0.0.1', port }]),
        );
        expect(r.stderr).toBe('');
        expect(data.plain).toEqual([200, 'host says hi to /plain']);
        expect(data.tunnel).toEqual(['HTTP/1.1 200 Connection Established']);
        expect(data.env).toEqual([
          'http://127.0.0.1:3128',
          'http://127.0.0.1:3128',
          'http://127.0.0.1:3128',
          '',
        ]);
        expect(hits).toEqual(['/plain', '/tunnel']);
        expect(r.enforcement.network).toBe('proxy');
        expect(r.egress.map((e) => [e.method, e.host, e.port, e.allowed, e.address])).toEqual([
          ['GET', '127.0.0.1', port, true, '127.0.0.1'],
          ['CONNECT', '127.0.0.1', port, true, '127.0.0.1'],
        ]);
      });

      it('refuses unlisted hosts, and loopback/private destinations that are not listed', async () => {
        hits.length = 0;
        const { data, r } = await probe(
          `${CLIENT}
out(unlisted=get('http://example.com/'), otherport=get('http://127.0.0.1:${port + 1}/'),
    viahost=get('http://localhost:${port}/'), metadata=get('http://169.254.169.254/latest/meta-data/'),
    tunnel=tunnel('10.0.0.1', 443).split('\\r\\n')[0])`,
          opts([{ host: 'example.com', port: 8443 }, { host: '*.internal.test' }]),
        );
        expect(data).toEqual({
          unlisted: [403, 'portcullis egress: example.com:80 refused: port 80 not allowed for example.com\n'],
          otherport: [403, `portcullis egress: 127.0.0.1:${port + 1} refused: host not in the allowlist\n`],
          viahost: [403, `portcullis egress: localhost:${port} refused: host not in the allowlist\n`],
          metadata: [403, 'portcullis egress: 169.254.169.254:80 refused: host not in the allowlist\n'],
          tunnel: 'HTTP/1.1 403 Forbidden',
        });
        expect(hits).toEqual([]);
        expect(r.egress.every((e) => !e.allowed)).toBe(true);
        expect(r.egress.map((e) => e.host)).toEqual([
          'example.com',
          '127.0.0.1',
          'localhost',
          '169.254.169.254',
          '10.0.0.1',
        ]);
      });

      it('refuses a listed name that resolves to a loopback address on the host (DNS rebinding)', async () => {
        hits.length = 0;
        const { data, r } = await probe(`${CLIENT}\nout(rebound=get('http://rebind.test:${port}/'))`, {
          ...opts([{ host: 'rebind.test', port }]),
          egressResolver: async () => ['127.0.0.1'],
        });
        expect(data.rebound).toEqual([
          403,
          `portcullis egress: rebind.test:${port} refused: rebind.test resolves to non-public address 127.0.0.1; list the address itself to allow it\n`,
        ]);
        expect(hits).toEqual([]);
        expect(r.egress[0]).toMatchObject({ host: 'rebind.test', allowed: false, address: '127.0.0.1' });
      });

      it('has no route for traffic that ignores the proxy, and no DNS', async () => {
        const { data, r } = await probe(
          `
def dial(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((host, port)); return 'connected'
    except OSError as e: return errno.errorcode.get(e.errno, str(e))
    finally: s.close()
def resolve(name):
    try: return socket.getaddrinfo(name, 80)[0][4][0]
    except socket.gaierror as e: return 'gaierror'
out(hostloop=dial('127.0.0.1', ${port}), outside=dial('192.0.2.1', 80), dns=resolve('example.com'))`,
          opts([{ host: '127.0.0.1', port }]),
        );
        // The sandbox's own loopback has only the relay; the host's loopback server is not there.
        expect(data.hostloop).toBe('ECONNREFUSED');
        expect(['ENETUNREACH', 'EHOSTUNREACH']).toContain(data.outside);
        expect(data.dns).toBe('gaierror');
        expect(hits).toEqual([]);
        expect(r.egress).toEqual([]);
      });
    },
  );
}
