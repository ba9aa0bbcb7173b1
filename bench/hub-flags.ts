// The node flags the hub runs with, as `npm start` gives them (package.json): the benchmarks start the
// hub process the same way, so they measure what is deployed.
//
// --max-semi-space-size=64: a search allocates a few MB of short-lived objects (source rows, prepared
// records, the answer). With V8's default young generation (16 MB semi-spaces) objects still alive at a
// scavenge — those of the searches in flight — are copied and soon promoted, and the old generation is
// then collected often; 64 MB lets them die young.
export const HUB_NODE_FLAGS = ['--max-semi-space-size=64'];
