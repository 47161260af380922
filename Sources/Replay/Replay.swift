// Replay: golden cases through a transformer (built-in or live URL), diffed and reported.
