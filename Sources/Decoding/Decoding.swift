// Decoding: the session loop, primitives and one strategy per paper.
