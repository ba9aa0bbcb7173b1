import type { Connector, SourceDefinitionBase } from './connector.ts';
import type { NetworkPolicy } from './network.ts';
import { HttpConnector, httpDefinitionSchema, type HttpDefinition } from './http.ts';
import { MssqlConnector, mssqlDefinitionSchema, mssqlDialect, type MssqlDefinition } from './mssql.ts';
import { MysqlConnector, mysqlDefinitionSchema, mysqlDialect, type MysqlDefinition } from './mysql.ts';
import { OracleConnector, oracleDefinitionSchema, oracleDialect, type OracleDefinition } from './oracle.ts';
import { PostgresConnector, postgresDefinitionSchema, postgresDialect, type PostgresDefinition } from './postgres.ts';
import { sqlTemplateErrors, type SqlDefinition, type SqlDialect } from './sql.ts';

export type SourceDefinition = PostgresDefinition | MysqlDefinition | MssqlDefinition | OracleDefinition | HttpDefinition;

export interface ConnectorKind {
  /** JSON Schema a definition of this kind must satisfy. */
  schema: object;
  /** What the schema cannot say (SQL templates naming only known parameters), for a schema-valid definition. */
  check?(def: SourceDefinitionBase): { path: string; message: string }[];
  create(def: SourceDefinitionBase, env: ConnectorEnv): Connector;
}

/** What the hub's configuration gives every connector it builds. */
export interface ConnectorEnv {
  /** Where HTTP sources may point (SSRF guard). */
  network: NetworkPolicy;
}

function sqlKind(schema: object, dialect: SqlDialect, create: (d: SourceDefinitionBase) => Connector): ConnectorKind {
  return { schema, check: (d) => sqlTemplateErrors(d as SqlDefinition, dialect), create };
}

/** Every kind of connector the hub can build. A new kind is one module plus one line here. */
export const KINDS: Record<string, ConnectorKind> = {
  postgres: sqlKind(postgresDefinitionSchema, postgresDialect, (d) => new PostgresConnector(d as PostgresDefinition)),
  mysql: sqlKind(mysqlDefinitionSchema, mysqlDialect, (d) => new MysqlConnector(d as MysqlDefinition)),
  mssql: sqlKind(mssqlDefinitionSchema, mssqlDialect, (d) => new MssqlConnector(d as MssqlDefinition)),
  oracle: sqlKind(oracleDefinitionSchema, oracleDialect, (d) => new OracleConnector(d as OracleDefinition)),
  http: { schema: httpDefinitionSchema, create: (d, env) => new HttpConnector(d as HttpDefinition, env.network) },
};
