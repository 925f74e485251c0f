// contact-sync's in-memory linked-hash index (docs/adr/0020, 0025): a library so the bench measures the real class.
export {
  HashIndex,
  type HashKind,
  type HashMatch,
  type IndexedIdentity,
  type LinkedHashEntry,
} from './hash-index';
export { IndexMatches, type PackedHashes } from './index-matches';
