/**
 * Every size and time limit on what a request may ask for, in one place.
 *
 * They exist so that one request cannot hold the server's memory or its event
 * loop for long; each leaves room for every legitimate use of the UI and API.
 * A request over a limit gets a 4xx in the API's error shape saying which
 * limit it hit (README, "JSON API", lists them for users).
 */

/** Longest regular expression (search `q` and `close`), in characters. */
export const MAX_PATTERN_CHARS = 500;

/**
 * Longest a regex search may spend matching over a recording before it is
 * refused (HTTP 400, code "pattern_too_slow"). re2js matches in time linear
 * in the text, but times the size of the compiled pattern:
 * `[\s\S]{1000}[\s\S]{1000}e` takes about 10 s over War and Peace's
 * 160,000-character test split. Matching runs in a worker thread
 * (lib/search/regex-runner.ts) that is stopped at this limit.
 */
export const REGEX_TIME_LIMIT_MS = 3_000;

/**
 * Longest query string (the part after "?", as sent, percent-encoded): HTTP 414
 * over it. The longest legitimate one, a 500-character pattern and a
 * 500-character closing pattern of non-ASCII characters, encodes to about 9,000.
 * (Node itself refuses request headers over 16 KiB with a bare 431.)
 */
export const MAX_QUERY_CHARS = 10_000;

/** Characters of a unit's values one activations request may ask for. */
export const MAX_RANGE_CHARS = 20_000;
/** Characters an activations request gets when it gives no `end`. */
export const DEFAULT_RANGE_CHARS = 4_000;

/** Characters a select-and-match span may have. */
export const MAX_MATCH_SPAN = 200;

/** Units one sample may hold at values (`clamp`). */
export const MAX_CLAMPS = 4;

/** Characters one knock-out may run over (the model runs twice over them, plus warm-ups). */
export const MAX_KNOCKOUT_CHARS = 20_000;

/** Characters one ranking by effect reads (lib/cells/rank-by-effect.ts), and the units it knocks out for real at most. */
export const MAX_EFFECT_CHARS = 20_000;
export const MAX_EFFECT_EXACT = 32;

/** Results one search may return (`limit`). */
export const MAX_SEARCH_RESULTS = 5_000;

/** Characters one sample request may generate (`length`), and the longest prime text. */
export const MAX_SAMPLE_CHARS = 2_000;
export const MAX_PRIME_CHARS = 500;

/** Shapes in a scene a visitor draws on /captioning (the generator's own scenes hold one to three). */
export const MAX_CAPTION_OBJECTS = 3;

/** Characters of a user's own text one live run may read (POST …/run; the page's link carries at most MAX_RUN_URL_CHARS of them). */
export const MAX_RUN_CHARS = 5_000;
export const MAX_RUN_URL_CHARS = 2_000;
/** Characters an embed or a downloaded view shows at most, and by default. */
export const MAX_EMBED_CHARS = 5_000;
export const DEFAULT_EMBED_CHARS = 1_000;
/** Units a search embed lists at most. */
export const MAX_EMBED_RESULTS = 20;

/** Its JSON body: the text and prime at up to 4 UTF-8 bytes a character, escapes included. */
export const MAX_RUN_BODY_BYTES = 64 * 1024;

/** A unit's label and note, in characters (after trimming). */
export const MAX_LABEL_CHARS = 80;
export const MAX_NOTE_CHARS = 2_000;

/**
 * Largest request body (label writes), in bytes: HTTP 413 over it. The
 * largest valid label body, 80 + 2,000 characters each written as a six-byte
 * JSON escape (\uXXXX), is about 12.5 KiB.
 */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Largest body of POST /api/collections, which may bring up to 100 units with
 * their notes: the largest valid one, every character a six-byte escape, is
 * about 1.3 MB. Other collection writes (a title and description, one note)
 * fit in MAX_BODY_BYTES.
 */
export const MAX_COLLECTION_BODY_BYTES = 1536 * 1024;

/** Longest model id, in characters. */
export const MAX_MODEL_ID_CHARS = 100;

/**
 * A unit whose values barely move over the whole recording (standard deviation
 * under this) is "constant": a tanh(c) pinned at ±1 or a gate stuck open. It
 * carries no information, so the UI greys it, j/k skip it, and search ranks it
 * below the units that move (a correlation over a nearly constant series is
 * noise). 0.001 is an eighth of one step of the stored 1-byte scale.
 */
export const CONSTANT_STD = 0.001;

/**
 * A unit that moves, but little (standard deviation under this): its whole
 * variation spans a few byte steps (0.008 for tanh(c) and h), so its r can
 * come from a handful of characters. Search ranks it as usual and flags it
 * ("moves little: std 0.03"); a tanh(c) near saturation is the usual case.
 */
export const MOVES_LITTLE_STD = 0.05;

/**
 * The best |r| of a search under which no unit is said to track the pattern
 * (e.g. 0.05 for `(a+)+$`): the page says so plainly instead of ranking noise.
 */
export const NO_TRACK_R = 0.1;

/**
 * A tanh(c) unit whose mean is beyond ±0.99 sits at the end of its range
 * nearly all the time (a saturated cell; the model page gives their share per layer).
 */
export const SATURATED_MEAN = 0.99;

/**
 * Training characters a probe fits on (lib/search/probe-units.ts): at most
 * this many, evenly spaced over the first 80% of the recording. A fit of all
 * 256 units of one layer and kind costs rows × 256² / 2 multiply-adds, and
 * neighbouring characters are nearly copies of each other, so 8,192 (32 rows
 * per unit at 256 units) keep the fits honest and a probe to seconds.
 */
export const PROBE_TRAIN_ROWS = 8_192;

/**
 * Units a probe's layer-and-kind read-out fits at most: a group with more (a
 * 3×512 model's 512) is fitted on its PROBE_GROUP_UNITS best units by |r| on
 * the training part. A fit costs d² per row and d³ per solve, and runs on the
 * server's one thread: all 512 units of each of a 3×512's six groups took 90 s
 * and held every other request of that server for seconds at a time.
 */
export const PROBE_GROUP_UNITS = 256;

/**
 * Rows of a logistic probe's Hessian (lib/search/probe.ts fitLogistic): each
 * Newton step's Hessian comes from at most this many of the training rows,
 * evenly spaced; its gradient from all of them, so the fit is the same.
 */
export const PROBE_HESSIAN_ROWS = 1_024;
