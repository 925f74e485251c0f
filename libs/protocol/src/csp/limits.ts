import { MAC_LENGTH } from '@ots/crypto';

/** spec §1.1: a frame's encrypted box is at most 8192 bytes (clients reject larger ones). */
export const CSP_MAX_FRAME_BOX_LENGTH = 8192;

/** spec §1.5: container = type u8 ‖ 3 reserved bytes ‖ data. */
export const CSP_CONTAINER_HEADER_LENGTH = 4;

/** The largest payload a container can carry inside one frame: 8192 − 16 (MAC) − 4 (header) = 8172. */
export const CSP_MAX_PAYLOAD_LENGTH = CSP_MAX_FRAME_BOX_LENGTH - MAC_LENGTH - CSP_CONTAINER_HEADER_LENGTH;
