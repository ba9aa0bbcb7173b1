import type { LinkEvidence } from '../model/subject.ts';

/**
 * A link's evidence as the line an officer reads — "HKID A1234563 equal +23.21; surname CHAN equal,
 * common: 8 % share it +3.54; …" — each finding in the order compared, with its weight; the weights add
 * up to the link's score. Every answer carries this line; the items themselves only when asked for,
 * because as objects they were most of a search answer's bytes and of the hub's time writing it.
 */
export function explanationOf(evidence: readonly LinkEvidence[]): string {
  let out = '';
  for (const e of evidence) {
    if (out !== '') out += '; ';
    out += `${e.detail} ${e.weight > 0 ? '+' : ''}${e.weight}`;
  }
  return out;
}
