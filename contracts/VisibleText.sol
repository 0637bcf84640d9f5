// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What VisibleText found wrong with a text: each caller raises its own error for it.
enum TextProblem {
    None,
    InvalidEncoding,
    ForbiddenCharacter
}

/// @title VisibleText
/// @notice The character rule that lot IDs (CarbonId) and account names (AccountName) share: well-formed
/// UTF-8 without control, invisible, bidirectional-control or combining characters, so that two texts
/// that look the same are the same bytes (the full rule, and what it does not guarantee, is CarbonId's
/// documentation). It reports the first problem instead of reverting, so that a lot ID and a name are
/// refused with errors named after what was refused, and a view can answer "no such name" instead.
library VisibleText {
    /// @return problem None, or the first problem in the `length` leading bytes of `word`.
    /// @return position The byte at which it starts.
    /// @return character The forbidden code point (ForbiddenCharacter only).
    function firstProblem(uint256 word, uint256 length)
        internal
        pure
        returns (TextProblem problem, uint256 position, uint256 character)
    {
        unchecked {
            uint256 i = 0;
            while (i < length) {
                uint256 lead = (word >> (248 - 8 * i)) & 0xFF;
                if (lead < 0x80) {
                    if (lead < 0x20 || lead == 0x7F) return (TextProblem.ForbiddenCharacter, i, lead);
                    ++i;
                    continue;
                }
                uint256 continuations;
                uint256 codePoint;
                uint256 smallest;
                if (lead < 0xC2) return (TextProblem.InvalidEncoding, i, 0); // a continuation byte, or overlong C0/C1
                if (lead < 0xE0) (continuations, codePoint, smallest) = (1, lead & 0x1F, 0x80);
                else if (lead < 0xF0) (continuations, codePoint, smallest) = (2, lead & 0x0F, 0x800);
                else if (lead < 0xF5) (continuations, codePoint, smallest) = (3, lead & 0x07, 0x10000);
                else return (TextProblem.InvalidEncoding, i, 0);
                if (i + continuations >= length) return (TextProblem.InvalidEncoding, i, 0); // cut short
                for (uint256 j = i + 1; j <= i + continuations; ++j) {
                    uint256 next = (word >> (248 - 8 * j)) & 0xFF;
                    if (next & 0xC0 != 0x80) return (TextProblem.InvalidEncoding, j, 0);
                    codePoint = (codePoint << 6) | (next & 0x3F);
                }
                if (codePoint < smallest || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                    return (TextProblem.InvalidEncoding, i, 0); // overlong, beyond Unicode, or a surrogate
                }
                if (_isForbidden(codePoint)) return (TextProblem.ForbiddenCharacter, i, codePoint);
                i += continuations + 1;
            }
        }
    }

    /// @dev For code points from U+0080 on; ordered so that common text leaves after one or two tests.
    function _isForbidden(uint256 c) private pure returns (bool) {
        if (c < 0xA0) return true; // C1 controls
        if (c < 0x300) return c == 0xAD;
        if (c < 0x370) return true; // combining diacritical marks, U+034F included
        if (c < 0x1100) return c == 0x61C;
        if (c < 0x2000) return c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F);
        if (c < 0x3000) return (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F);
        if (c < 0xFE00) return c == 0x3164;
        if (c < 0x10000) return c <= 0xFE0F || c == 0xFEFF || c == 0xFFA0 || c >= 0xFFF0;
        return (c >= 0x13430 && c <= 0x1343F) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A)
            || (c >= 0xE0000 && c <= 0xE0FFF);
    }
}
