// A throwaway Dovecot IMAP server for tests: its own configuration, passwd file, maildirs, logs
// and runtime directory in a temporary directory, listening on a free loopback port. Runs as
// the current user, or, when that is root, with mail owned by `nobody`.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const DOVECOT = '/usr/sbin/dovecot';
export const hasDovecot = existsSync(DOVECOT);

export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  dir: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-dovecot-'));
  const me = userInfo();
  const root = me.uid === 0;
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  const serviceUser = root ? 'nobody' : me.username;
  const port = await freePort();
  const user = 'support';
  const pass = 'imap-test-password';
  for (const sub of ['run', 'state', 'mail', 'home']) await mkdir(join(dir, sub), { recursive: true });
  if (root) {
    await chmod(dir, 0o755);
    for (const sub of ['mail', 'home']) await chown(join(dir, sub), mailUid, mailGid);
  }
  await writeFile(
    join(dir, 'passwd'),
    `${user}:{PLAIN}${pass}:${mailUid}:${mailGid}::${join(dir, 'home', user)}::\n`,
  );
  const config = `
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${join(dir, 'dovecot.log')}
info_log_path = ${join(dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${serviceUser}
default_internal_group = ${root ? 'nogroup' : serviceUser}
default_login_user = ${serviceUser}
first_valid_uid = ${Math.min(mailUid, 1)}
mail_location = maildir:${join(dir, 'mail')}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${join(dir, 'passwd')}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
  const configPath = join(dir, 'dovecot.conf');
  await writeFile(configPath, config);
  const child = spawn(DOVECOT, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const log = async () => `${output}\n${await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '')}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await new Promise<boolean>((resolve) => {
      const socket = createServer();
      void socket;
      import('node:net').then(
        ({ connect }) => {
          const probe = connect(port, '127.0.0.1');
          probe.once('data', () => {
            probe.destroy();
            resolve(true);
          });
          probe.once('error', () => resolve(false));
        },
        () => resolve(false),
      );
    });
    if (ready) break;
    if (child.exitCode !== null) throw new Error(`Dovecot exited: ${await log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (attempt === 99) throw new Error(`Dovecot did not listen: ${await log()}`);
  }
  return {
    port,
    user,
    pass,
    dir,
    log,
    async stop() {
      await promisify(execFile)(DOVECOT, ['-c', configPath, 'stop']).catch(() => child.kill('SIGTERM'));
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
