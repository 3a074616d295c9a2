/**
 * Keycloak for the sign-in test against the realm compose imports (`npm run test:keycloak`):
 * the Quarkus distribution from Maven Central (the version of compose's pinned image),
 * unpacked once into the cache outside the clone, started in development mode with an
 * in-memory database and deploy/keycloak/cascade-realm.json imported. It needs Java (17+).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv } from '../runtime/config';
import { cacheRoot, onPath, type Progress } from './temporal-server-build';
import { sleep } from './wait';

/** The version of docker-compose.yml's quay.io/keycloak/keycloak image. */
export const KEYCLOAK_VERSION = '26.4.2';
export const REALM_FILE = path.resolve(__dirname, '..', 'deploy', 'keycloak', 'cascade-realm.json');

const distUrl = `https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/${KEYCLOAK_VERSION}/keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`;

/** The unpacked distribution (its bin/kc.sh), downloaded and unpacked if needed. */
export async function ensureKeycloak(progress: Progress = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const dir = path.join(cacheRoot(), `keycloak-${KEYCLOAK_VERSION}`);
  const home = path.join(dir, `keycloak-${KEYCLOAK_VERSION}`);
  if (fs.existsSync(path.join(home, 'bin', 'kc.sh'))) return home;
  if (!onPath('java')) throw new Error('Keycloak needs Java 17 or later on PATH');
  progress(`Downloading Keycloak ${KEYCLOAK_VERSION} from Maven Central (160 MB, once; cached in ${dir})`);
  const res = await fetch(distUrl);
  if (!res.ok) throw new Error(`${distUrl}: HTTP ${res.status}`);
  const staging = `${dir}.partial-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  try {
    const zip = path.join(staging, 'keycloak.zip');
    fs.writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    // `jar` comes with the JDK Keycloak needs anyway; `unzip` may not be installed.
    const unpack = onPath('unzip') ? spawnSync('unzip', ['-q', zip, '-d', staging]) : spawnSync('jar', ['xf', zip], { cwd: staging });
    if (unpack.status !== 0) throw new Error(`could not unpack ${zip}: ${String(unpack.stderr)}`);
    fs.rmSync(zip);
    fs.chmodSync(path.join(staging, `keycloak-${KEYCLOAK_VERSION}`, 'bin', 'kc.sh'), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

export interface RunningKeycloak {
  /** http://localhost:<port>/realms/cascade */
  issuer: string;
  stop(): Promise<void>;
}

/**
 * Keycloak on `port` with the cascade realm imported (its placeholders from `env`:
 * OIDC_CLIENT_SECRET, DASHBOARD_ORIGIN); resolves once the realm answers discovery.
 */
export async function startKeycloak(home: string, port: number, env: Record<string, string>, logFile: string): Promise<RunningKeycloak> {
  const importDir = path.join(home, 'data', 'import');
  fs.mkdirSync(importDir, { recursive: true });
  fs.copyFileSync(REALM_FILE, path.join(importDir, 'cascade-realm.json'));
  const out = fs.openSync(logFile, 'a');
  const base = `http://localhost:${port}`;
  const child = spawn(
    path.join(home, 'bin', 'kc.sh'),
    ['start-dev', '--import-realm', '--db', 'dev-mem', '--http-port', String(port), '--hostname', base, '--hostname-backchannel-dynamic', 'true'],
    { env: childEnv({ ...env, KC_BOOTSTRAP_ADMIN_USERNAME: 'admin', KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin' }), stdio: ['ignore', out, out], detached: true },
  );
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // kc.sh runs java as its child, in the process group `detached` gave it: a stop signals the
  // whole group (SIGTERM, then SIGKILL after 10 s), so that no JVM outlives the test.
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return signal('SIGKILL');
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    signal('SIGKILL');
  };
  const issuer = `${base}/realms/cascade`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Keycloak exited (code ${child.exitCode}) before it was ready; see ${logFile}`);
    const ok = await fetch(`${issuer}/.well-known/openid-configuration`).then((r) => r.ok, () => false);
    if (ok) return { issuer, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Keycloak did not answer within 180 s; see ${logFile}`);
    }
    await sleep(1000);
  }
}
