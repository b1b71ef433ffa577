/** Moved to src/queue.ts (a shared leaf: the verdict uses it too). */
export { KeyedQueue } from '../queue.js';
