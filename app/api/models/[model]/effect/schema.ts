/** Query of GET /api/models/[model]/effect: a regex with an on/off mode or an on/off signal, the stretch, the hold (shared with the CLI and the search page). */
export { EffectQuery, parseEffectParams } from "@/lib/cells/rank-by-effect.ts";
