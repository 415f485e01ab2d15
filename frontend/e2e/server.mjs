// The real backend for the browser tests: a `python wsgi.py` process on a free port with its
// own scratch SQLite database, which a test can kill (SIGKILL, like a crash) and restart.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function waitForUrl(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export class ServerProcess {
  /** @param {{repo: string, workDir: string, port: number}} options */
  constructor({ repo, workDir, port }) {
    this.repo = repo;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.logPath = join(workDir, 'server.log');
    this.python = process.env.E2E_PYTHON || join(repo, '.venv', 'bin', 'python');
    // No CORS_ORIGINS (not even inherited): the app's own page must work on any port by itself.
    const inherited = { ...process.env };
    delete inherited.CORS_ORIGINS;
    this.env = {
      ...inherited,
      APP_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:///${join(workDir, 'e2e.sqlite')}`,
      REDIS_URL: '',
      SECRET_KEY: 'e2e-secret-key-that-is-long-enough-0123456789',
      JWT_SECRET_KEY: 'e2e-jwt-secret-key-that-is-long-enough-0123456789',
      ASYNC_MODE: process.env.E2E_ASYNC_MODE || 'eventlet',
      TRANSCRIBER: 'local',
      COACH: 'playbook',
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'WARNING',
    };
    this.child = null;
    // Ctrl-C or a killed runner still runs the 'exit' handlers that kill the server.
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
    this.log = createWriteStream(this.logPath, { flags: 'a' });
  }

  /** Create the schema with the migrations (the only way the schema is made). */
  migrate() {
    if (!existsSync(this.python)) throw new Error(`${this.python} missing: run \`make\` once to create the venv`);
    this.flask('db', 'upgrade');
  }

  /** Run an admin command against this server's database; returns its output. */
  flask(...args) {
    const flask = join(this.repo, '.venv', 'bin', 'flask');
    const run = spawnSync(flask, ['--app', 'app:create_app()', ...args], { cwd: this.repo, env: this.env, timeout: 120_000, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`flask ${args.join(' ')} failed: ${run.stderr?.slice(-500)}`);
    return run.stdout;
  }

  async start(timeoutMs = 45_000) {
    // Its own process group, so a kill also takes its speech-recognition worker processes.
    this.child = spawn(this.python, ['wsgi.py'], { cwd: this.repo, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pid = this.child.pid;
    this.onExit = () => killGroup(pid);
    process.once('exit', this.onExit);
    this.child.stdout.pipe(this.log, { end: false });
    this.child.stderr.pipe(this.log, { end: false });
    const exited = new Promise((resolve) => this.child.once('exit', () => resolve(false)));
    const up = await Promise.race([waitForUrl(`${this.url}/health/ready`, timeoutMs), exited]);
    if (!up) throw new Error(`server did not come up on ${this.url} (log: ${this.logPath})`);
  }

  /** SIGKILL: no graceful shutdown, like a crashed or killed process. */
  async kill() {
    const child = this.child;
    if (!child) return;
    const running = child.exitCode === null && child.signalCode === null;
    const gone = running ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve();
    killGroup(child.pid);
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    process.off('exit', this.onExit);
    this.child = null;
  }

  async restart() {
    await this.kill();
    await this.start();
  }
}
