import type { ParamMatcher } from '@sveltejs/kit';
import { isRoomId } from '$shared/ids';

/** A room id in a path: 128 bits in base64url; anything else is a 404. */
export const match: ParamMatcher = (param) => isRoomId(param);
