import type { Connector, SourceDefinitionBase } from './connector.ts';
import { HttpConnector, httpDefinitionSchema, type HttpDefinition } from './http.ts';
import { PostgresConnector, postgresDefinitionSchema, type PostgresDefinition } from './postgres.ts';

export type SourceDefinition = PostgresDefinition | HttpDefinition;

export interface ConnectorKind {
  /** JSON Schema a definition of this kind must satisfy. */
  schema: object;
  create(def: SourceDefinitionBase): Connector;
}

/** Every kind of connector the hub can build. A new kind is one module plus one line here. */
export const KINDS: Record<string, ConnectorKind> = {
  postgres: { schema: postgresDefinitionSchema, create: (d) => new PostgresConnector(d as PostgresDefinition) },
  http: { schema: httpDefinitionSchema, create: (d) => new HttpConnector(d as HttpDefinition) },
};
