/**
 * The server contract as the features use it. Every validator and type here is generated
 * from the server's OpenAPI document (src/lib/api/*.gen.ts, `make protocol`); this module
 * only gives the shared ones short names. Never hand-write a response schema: add the
 * field to the marshmallow schema, run `make protocol`, import the generated one.
 */
import { z } from 'zod';

import type { CallStatusEvent, Suggestion, User, Utterance } from '@/lib/api/types.gen';
import { zCall, zCallList, zGuidance, zSuggestion, zSuggestionList, zTranscript, zUser, zUserList } from '@/lib/api/zod.gen';

export type { Suggestion, User, Utterance } from '@/lib/api/types.gen';

// The generator drops the null from `guidance` (an optional nested object on the server):
// a call made before guidance existed, or an imported one, has none.
export const CallSchema = zCall.extend({ guidance: zGuidance.nullable() });
export const CallPageSchema = zCallList.extend({ items: z.array(CallSchema) });
export type Call = z.output<typeof CallSchema>;
export const UserSchema = zUser;
export const UserListSchema = zUserList;
export const TranscriptSchema = zTranscript;
export const SuggestionSchema = zSuggestion;
export const SuggestionListSchema = zSuggestionList;

export type Role = User['role'];
export type Source = Utterance['source'];
export type CallStateValue = CallStatusEvent['state'];
export type Feedback = Suggestion['feedback'];

/** How a one-microphone line's speaker was attributed (absent on two-source calls). */
export type Attribution = NonNullable<Utterance['attribution']>;

/** Under this confidence an attributed speaker is shown as uncertain. */
export const UNCERTAIN_BELOW = 0.7;
