/** The seeded dice now live with every emulator's shared parts; this path is kept for its importers. */
export { DEFAULT_SEED, createRandom, type Random } from "../../shared/random.js";
