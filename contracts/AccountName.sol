// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TextProblem, VisibleText} from "./VisibleText.sol";

/// @notice The name is empty or longer than 32 bytes.
error AccountNameInvalidLength(uint256 length);

/// @notice The name is not well-formed UTF-8 at byte `position`.
error AccountNameInvalidEncoding(uint256 position);

/// @notice The name holds, at byte `position`, a character that would make it look like another name
/// (the lot IDs' rule, VisibleText), or a space at its start or end.
error AccountNameForbiddenCharacter(uint256 position, uint256 codePoint);

/// @notice The name is all digits or starts with 0x: clients take such text for an account index or an
/// address, so nobody could type the name to mean the account.
error AccountNameLooksLikeAccount(string name);

/// @title AccountName
/// @notice An account's display name (the account opening): 1 to 32 bytes of visible UTF-8 (the lot
/// IDs' rule), no space at either end, neither all digits nor starting with 0x. Stored as bytes32 the
/// way lot IDs are, and unique by a key in which ASCII letters are folded to lower case, so that "Ana"
/// and "ana" cannot both exist.
/// @dev Only ASCII is folded: "Ángel" and "ángel" are two names (Unicode case folding is tables, not
/// arithmetic). The cli's rule (cli/input/account-name.ts) is this one, character for character.
library AccountName {
    uint256 private constant SPACE = 0x20;

    /// @return packed The name, right-padded with zeros (it holds no NUL, so the padding ends it).
    /// @return key The packed name with ASCII letters in lower case: what uniqueness is decided by.
    function pack(string calldata name) internal pure returns (bytes32 packed, bytes32 key) {
        uint256 length = bytes(name).length;
        if (length == 0 || length > 32) revert AccountNameInvalidLength(length);
        packed = bytes32(bytes(name));
        (TextProblem problem, uint256 position, uint256 codePoint) = VisibleText.firstProblem(uint256(packed), length);
        if (problem == TextProblem.InvalidEncoding) revert AccountNameInvalidEncoding(position);
        if (problem == TextProblem.ForbiddenCharacter) revert AccountNameForbiddenCharacter(position, codePoint);
        if (uint8(packed[0]) == SPACE) revert AccountNameForbiddenCharacter(0, SPACE);
        if (uint8(packed[length - 1]) == SPACE) revert AccountNameForbiddenCharacter(length - 1, SPACE);
        if (_looksLikeAccount(packed, length)) revert AccountNameLooksLikeAccount(name);
        key = fold(packed);
    }

    /// @notice The key `name` would be stored under, or zero if `name` could not be a name: for a view
    /// that answers "nobody" to any text instead of reverting.
    function keyOf(string calldata name) internal pure returns (bytes32 key) {
        uint256 length = bytes(name).length;
        if (length == 0 || length > 32) return 0;
        bytes32 packed = bytes32(bytes(name));
        (TextProblem problem,,) = VisibleText.firstProblem(uint256(packed), length);
        if (problem != TextProblem.None) return 0; // a NUL would otherwise read as padding
        return fold(packed);
    }

    /// @dev The inverse of pack's `packed`: the name ends where the zero padding starts.
    function unpack(bytes32 packed) internal pure returns (string memory) {
        uint256 length = 0;
        while (length < 32 && packed[length] != 0) length++;
        bytes memory raw = new bytes(length);
        for (uint256 i = 0; i < length; i++) raw[i] = packed[i];
        return string(raw);
    }

    function _looksLikeAccount(bytes32 packed, uint256 length) private pure returns (bool) {
        if (packed[0] == "0" && length > 1 && (packed[1] == "x" || packed[1] == "X")) return true;
        for (uint256 i = 0; i < length; i++) {
            if (packed[i] < "0" || packed[i] > "9") return false;
        }
        return true;
    }

    /// @notice The key of a packed name: its ASCII letters in lower case (the zero padding is no letter).
    function fold(bytes32 packed) internal pure returns (bytes32 key) {
        uint256 word = uint256(packed);
        unchecked {
            for (uint256 shift = 0; shift < 256; shift += 8) {
                uint256 b = (word >> shift) & 0xFF;
                if (b >= 0x41 && b <= 0x5A) word |= 0x20 << shift;
            }
        }
        return bytes32(word);
    }
}
