/**
 * Provides the Temporal time-skipping test server for `TestWorkflowEnvironment.createTimeSkipping`
 * without the SDK's binary download (which cannot be reached here): the Java SDK's in-memory
 * test server from Maven Central, resolved once with Maven and cached outside the clone in
 * `${XDG_CACHE_HOME:-~/.cache}/directive-cascade/temporal-test-server-<version>/`:
 *
 *   pom.xml               the one dependency, resolved with `mvn dependency:copy-dependencies`
 *   lib/*.jar             the full runtime classpath (copied, so the cache does not need ~/.m2)
 *   app.jsa               a class-data-sharing archive: JVM start to listening ≈0.4s instead of ≈1.2s
 *   temporal-test-server  the executable the SDK runs as `<path> <port>`; it `exec`s java so the
 *                         SDK's kill reaches the JVM
 *
 * Order: TEMPORAL_TEST_SERVER_PATH, the cache, then Maven. A second call is a cache hit.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, portOpen } from './ports';
import { sleep } from './wait';
import { loadConfig } from '../runtime/config';

/**
 * `io.temporal:temporal-test-server` version. Checked with TS SDK 1.24: time skipping,
 * timers, signals and Updates with validators (tests/time-skipping.smoke.test.ts).
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
/** Works with Maven 3.6.3+; newer plugin lines want Maven 3.9. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';
/** Matches the slf4j-api 1.7.x the test server depends on; logs warnings and errors to stderr. */
const SLF4J_SIMPLE_VERSION = '1.7.36';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';
const WRAPPER = 'temporal-test-server';
/** Fast start for a short-lived test JVM: C1 only; CDS archive if one was built. */
const JVM_FLAGS = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
];

type Progress = (line: string) => void;
const stderrProgress: Progress = (l) => process.stderr.write(l + '\n');

export function javaTestServerCacheDir(): string {
  const base = loadConfig().XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'directive-cascade', `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
}

interface Stamp {
  version: string;
  java: string;
  classpath: string[];
}

function onPath(name: string): string | undefined {
  for (const dir of loadConfig().PATH.split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findJava(): string | undefined {
  const home = loadConfig().JAVA_HOME;
  if (home && isExecutable(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return onPath('java');
}

function missingTools(what: string): Error {
  return new Error(
    `The Temporal time-skipping test server (Java, from Maven Central) needs ${what}.\n` +
      '  Install a JDK 11+ and Maven 3.6.3+ (Debian/Ubuntu: `apt-get install openjdk-17-jdk-headless maven`),\n' +
      '  or set TEMPORAL_TEST_SERVER_PATH to an existing test server executable (`<path> <port>` must serve on that port).',
  );
}

/** The cached wrapper if it and every jar it names are still there; else undefined. */
function cachedWrapper(dir: string): string | undefined {
  const wrapper = path.join(dir, WRAPPER);
  try {
    if (!isExecutable(wrapper)) return undefined;
    const stamp = JSON.parse(fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8')) as Stamp;
    if (stamp.version !== TEMPORAL_TEST_SERVER_VERSION || !isExecutable(stamp.java)) return undefined;
    if (stamp.classpath.length === 0 || !stamp.classpath.every((jar) => fs.existsSync(jar))) return undefined;
    return wrapper;
  } catch {
    return undefined;
  }
}

/**
 * Returns the path of an executable that runs the time-skipping test server as `<path> <port>`,
 * provisioning it with Maven on first use. Progress goes to `progress`.
 */
export async function ensureJavaTestServer(progress: Progress = stderrProgress): Promise<string> {
  const explicit = loadConfig().TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new Error(`TEMPORAL_TEST_SERVER_PATH=${explicit} is not an executable file`);
    }
    return explicit;
  }
  const dir = javaTestServerCacheDir();
  const hit = cachedWrapper(dir);
  if (hit) return hit;

  const java = findJava();
  const mvn = onPath('mvn');
  if (!java && !mvn) throw missingTools('`java` and `mvn`, and neither is on PATH');
  if (!java) throw missingTools('`java` (not on PATH, and JAVA_HOME/bin/java is missing)');
  if (!mvn) throw missingTools('`mvn` (Maven), which is not on PATH');

  fs.mkdirSync(dir, { recursive: true });
  const release = await acquireLock(path.join(dir, '.lock'), progress);
  try {
    const again = cachedWrapper(dir); // another process may have finished while we waited
    if (again) return again;
    return await provision(dir, java, mvn, progress);
  } finally {
    release();
  }
}

async function provision(dir: string, java: string, mvn: string, progress: Progress): Promise<string> {
  const started = Date.now();
  const wrapper = path.join(dir, WRAPPER);
  fs.rmSync(wrapper, { force: true });
  fs.rmSync(path.join(dir, 'stamp.json'), { force: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), pomXml());

  const staging = path.join(dir, `lib.partial-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  progress(
    `Resolving io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION} with Maven ` +
      `(one time, about 15-60s; cached in ${dir})`,
  );
  await runMaven(mvn, dir, staging, progress);

  const lib = path.join(dir, 'lib');
  fs.rmSync(lib, { recursive: true, force: true });
  fs.renameSync(staging, lib);
  const classpath = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => path.join(lib, f));
  if (!classpath.some((jar) => path.basename(jar).startsWith('temporal-test-server-'))) {
    throw new Error(`Maven finished but ${lib} has no temporal-test-server jar`);
  }

  // Class-data sharing: record the classes loaded up to "listening" once, reuse them on every start.
  const archive = path.join(dir, 'app.jsa');
  fs.rmSync(archive, { force: true });
  try {
    const ms = await dumpCdsArchive(java, classpath, archive);
    progress(`  built a class-data-sharing archive (JVM listening after ${ms} ms while recording)`);
  } catch (err) {
    fs.rmSync(archive, { force: true });
    progress(`  no class-data-sharing archive (${(err as Error).message}); the server starts a little slower`);
  }

  const tmp = `${wrapper}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, wrapperScript(java, classpath, fs.existsSync(archive) ? archive : undefined), {
    mode: 0o755,
  });
  fs.renameSync(tmp, wrapper);
  const stamp: Stamp = { version: TEMPORAL_TEST_SERVER_VERSION, java, classpath };
  fs.writeFileSync(path.join(dir, 'stamp.json'), JSON.stringify(stamp, null, 2));
  progress(`Temporal test server ready in ${Math.round((Date.now() - started) / 1000)}s: ${wrapper}`);
  return wrapper;
}

function pomXml(): string {
  const [pluginGroup, pluginArtifact, pluginVersion] = DEPENDENCY_PLUGIN.split(':');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by stack/java-test-server.ts: resolves the Temporal time-skipping test server's classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.directive-cascade</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>${SLF4J_SIMPLE_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>${pluginGroup}</groupId>
        <artifactId>${pluginArtifact}</artifactId>
        <version>${pluginVersion}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

function runMaven(mvn: string, dir: string, outputDir: string, progress: Progress): Promise<void> {
  const args = [
    '-B', // batch: plain "Downloaded from …" lines, no progress bars
    '-f',
    path.join(dir, 'pom.xml'),
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
  ];
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const child = spawn(mvn, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let downloaded = 0;
    let reported = 0;
    let tail = '';
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-6000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (/Downloaded from /.test(line)) downloaded += 1;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const ticker = setInterval(() => {
      if (downloaded === reported) return;
      reported = downloaded;
      progress(`  Maven: ${downloaded} files downloaded, ${Math.round((Date.now() - started) / 1000)}s`);
    }, 5_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) {
        progress(`  Maven done: ${downloaded} files downloaded in ${Math.round((Date.now() - started) / 1000)}s`);
        resolve();
      } else {
        reject(new Error(`mvn ${args.join(' ')} failed (exit ${code}):\n${tail}`));
      }
    });
  });
}

/** Runs the server once with -XX:ArchiveClassesAtExit, waits until it listens, stops it. */
async function dumpCdsArchive(java: string, classpath: string[], archive: string): Promise<number> {
  const port = await freePort();
  const args = [
    ...JVM_FLAGS,
    `-XX:ArchiveClassesAtExit=${archive}`,
    '-Xlog:cds=off',
    '-Xlog:cds+dynamic=off',
    '-cp',
    classpath.join(path.delimiter),
    MAIN_CLASS,
    String(port),
  ];
  const started = Date.now();
  const child = spawn(java, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let listening = false;
  while (!listening && Date.now() - started < 60_000 && child.exitCode === null) {
    listening = await portOpen(port);
    if (!listening) await sleep(50);
  }
  const ms = Date.now() - started;
  if (child.exitCode === null) child.kill('SIGTERM'); // the JVM writes the archive on its way out
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
  if (!listening) throw new Error(`the test server did not listen within 60s: ${stderr.trim()}`);
  if (!fs.existsSync(archive)) throw new Error('the JVM wrote no archive');
  return ms;
}

function wrapperScript(java: string, classpath: string[], archive: string | undefined): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const flags = [...JVM_FLAGS, '-Xshare:auto'];
  // A stale archive (e.g. after a JDK upgrade) is ignored by -Xshare:auto; keep it quiet.
  if (archive) flags.push(`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off');
  return `#!/bin/sh
# Generated by stack/java-test-server.ts: Temporal time-skipping test server
# (io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION}). Usage: ${WRAPPER} <port> [args...]
# exec, so that a kill of this process reaches the JVM.
exec ${q(java)} ${flags.map(q).join(' ')} -cp ${q(classpath.join(path.delimiter))} ${MAIN_CLASS} "$@"
`;
}



/** A lock directory holding the owner's pid; a lock whose owner is gone is taken over. */
async function acquireLock(lockDir: string, progress: Progress): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // the owner has made the directory but not yet written its pid
    }
    const ageMs = Date.now() - safeMtime(lockDir);
    if ((Number.isInteger(owner) && !alive(owner)) || (!Number.isInteger(owner) && ageMs > 10_000)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      progress(`Waiting for another process (pid ${owner}) that is provisioning the Temporal test server…`);
      told = true;
    }
    await sleep(500);
  }
}

function safeMtime(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return Date.now();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
