// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TextProblem, VisibleText} from "./VisibleText.sol";

/// @notice The carbon ID is empty or longer than 32 bytes.
error CarbonIdInvalidLength(uint256 length);

/// @notice The carbon ID is not well-formed UTF-8 at byte `position`.
error CarbonIdInvalidEncoding(uint256 position);

/// @notice The carbon ID holds, at byte `position`, a character that would make it look like another
/// ID: a control character, an invisible or bidirectional-control character, or a combining mark.
error CarbonIdForbiddenCharacter(uint256 position, uint256 codePoint);

/// @title CarbonId
/// @notice Packs a lot's ID (1 to 32 bytes of UTF-8) into the bytes32 key the market stores it under,
/// refusing what would let two IDs that look the same be different keys.
/// @dev The rule, byte for byte the one of cli/input/values.ts (test/contracts/carbon-id.test.ts holds the
/// two to one table):
/// - 1 to 32 bytes of well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points above
///   U+10FFFF). The thesis's stringToBytes32 silently truncated long IDs, so two could collide.
/// - No control characters: C0 (NUL included: bytes32 pads with zeros, so "A" and "A\0" would share a
///   key), DEL, C1.
/// - No invisible or bidirectional-control characters: U+00AD, U+061C, U+115F-1160, U+17B4-17B5,
///   U+180B-180F, U+200B-200F, U+2028-202E, U+2060-206F, U+3164, U+FE00-FE0F, U+FEFF, U+FFA0, the
///   Specials block U+FFF0-FFFF (which holds U+FFFD, the mark of text that was not valid UTF-8), the
///   astral format controls U+13430-1343F, U+1BCA0-1BCA3, U+1D173-1D17A, and plane 14 U+E0000-E0FFF
///   (tags and variation selectors).
/// - No combining diacritical marks U+0300-036F (U+034F included): in NFC they compose with the Latin
///   letter before them, so refusing them refuses the decomposed twin of "café" (the CLI normalises to
///   NFC first, so a user never meets this).
/// What it does not guarantee: NFC as a whole (other decomposed scripts, e.g. Hangul jamo or Indic
/// nuktas, pass), homoglyphs across scripts (Latin "A" and Cyrillic "А" stay two IDs), spaces
/// (leading, trailing or U+00A0 are kept as typed), unassigned code points.
/// ASCII costs about 70 gas a byte; the whole check is one pass over the packed word.
library CarbonId {
    function pack(string calldata carbonId) internal pure returns (bytes32 packed) {
        uint256 length = bytes(carbonId).length;
        if (length == 0 || length > 32) revert CarbonIdInvalidLength(length);
        packed = bytes32(bytes(carbonId)); // right-padded with zeros
        _check(uint256(packed), length);
    }

    /// @dev The inverse of pack: the ID ends where the zero padding starts (an ID holds no NUL).
    function unpack(bytes32 packed) internal pure returns (string memory) {
        uint256 length = 32;
        while (length > 0 && packed[length - 1] == 0) length--;
        bytes memory raw = new bytes(length);
        for (uint256 i = 0; i < length; i++) raw[i] = packed[i];
        return string(raw);
    }

    function _check(uint256 word, uint256 length) private pure {
        (TextProblem problem, uint256 position, uint256 codePoint) = VisibleText.firstProblem(word, length);
        if (problem == TextProblem.InvalidEncoding) revert CarbonIdInvalidEncoding(position);
        if (problem == TextProblem.ForbiddenCharacter) revert CarbonIdForbiddenCharacter(position, codePoint);
    }
}
