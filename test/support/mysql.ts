import mysql from 'mysql2/promise';

export interface ScratchMysql {
  /** mysql:// URL (no password) of an empty utf8mb4 database of its own. */
  url: string;
  /** An admin connection for setting up tables and looking at the server (processlist). */
  admin: mysql.Connection;
  close(): Promise<void>;
}

const ADMIN_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * A fresh database for one test file on the MariaDB (or MySQL) server at MYSQL_URL, by default the one
 * this machine runs at 127.0.0.1:3306 as root without a password. There is no stand-in: the mysql
 * connector is proven against a real server, so an unreachable one fails the file, saying how to start it.
 */
export async function scratchMysql(): Promise<ScratchMysql> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ uri: ADMIN_URL, connectTimeout: 2_000, charset: 'utf8mb4' });
  } catch (err) {
    throw new Error(
      `MariaDB/MySQL is not reachable at ${ADMIN_URL} (${(err as Error).message}). The mysql connector tests need a ` +
        'real server: start the local one (`sudo systemctl start mariadb`), or `docker compose --profile mariadb up -d mariadb`, ' +
        'or set MYSQL_URL=mysql://user@host:port to an account allowed to create databases.',
    );
  }
  const name = `cirms_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    admin,
    async close() {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}
