import type { HttpDefinition } from '../../src/connectors/http.ts';
import type { FieldMapping } from '../../src/connectors/mapping.ts';

/** An HTTP source answering person searches by HKID and by name from `/people`. */
export function peopleSource(id: string, baseUrl: string, extra: Partial<HttpDefinition> = {}): HttpDefinition {
  return {
    id,
    kind: 'http',
    baseUrl,
    timeoutMs: 2_000,
    healthPath: '/health',
    queries: {
      person: {
        by: {
          hkid: { path: '/people', query: { hkid: '{{value}}', limit: '{{limit}}' } },
          name: { path: '/people', query: { name: '{{raw}}', limit: '{{limit}}' } },
        },
        items: 'items',
        mapping: {
          key: '{{id}}',
          names: [{ field: 'name' }],
          identifiers: [{ scheme: 'hkid', field: 'hkid' }],
          attributes: { dateOfBirth: 'dob' },
          fields: ['name', 'hkid', 'dob'],
        },
      },
    },
    ...extra,
  };
}

export const chanTaiMan = (id: string, spelling = 'CHAN Tai Man') => ({ id, name: spelling, hkid: 'A123456(3)', dob: '1975-03-14' });

/** The `intel` HTTP source most tests' local servers play: persons in `{ items: [...] }`, asked by `by`. */
export function intelSource(baseUrl: string, by: Record<string, { path: string; query: Record<string, string> }>, mapping: FieldMapping): HttpDefinition {
  return { id: 'intel', kind: 'http', baseUrl, healthPath: '/health', queries: { person: { by, items: 'items', mapping } } };
}
