// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The carbon ID is empty or longer than 32 bytes.
error CarbonIdInvalidLength(uint256 length);

/// @notice The carbon ID is not UTF-8, or holds a NUL byte, at byte `position`.
error CarbonIdInvalidEncoding(uint256 position);

/// @title CarbonId
/// @notice Packs a lot's ID (1 to 32 bytes of UTF-8) into the bytes32 key the market stores it under.
/// @dev The thesis's stringToBytes32 silently truncated long IDs, so two long IDs could collide; here a
/// long ID reverts. NUL is refused because bytes32 pads with zeros: "A" and "A\0" would share a key.
library CarbonId {
    function pack(string calldata carbonId) internal pure returns (bytes32) {
        bytes calldata raw = bytes(carbonId);
        if (raw.length == 0 || raw.length > 32) revert CarbonIdInvalidLength(raw.length);
        _requireUtf8WithoutNul(raw);
        return bytes32(raw); // right-padded with zeros
    }

    /// @dev The inverse of pack: the ID ends where the zero padding starts.
    function unpack(bytes32 packed) internal pure returns (string memory) {
        uint256 length = 32;
        while (length > 0 && packed[length - 1] == 0) length--;
        bytes memory raw = new bytes(length);
        for (uint256 i = 0; i < length; i++) raw[i] = packed[i];
        return string(raw);
    }

    /// @dev Well-formed UTF-8 per RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
    function _requireUtf8WithoutNul(bytes calldata raw) private pure {
        uint256 i = 0;
        while (i < raw.length) {
            uint8 lead = uint8(raw[i]);
            uint256 continuations;
            uint8 secondMin = 0x80;
            uint8 secondMax = 0xBF;
            if (lead == 0) revert CarbonIdInvalidEncoding(i);
            else if (lead < 0x80) continuations = 0;
            else if (lead >= 0xC2 && lead <= 0xDF) continuations = 1;
            else if (lead >= 0xE0 && lead <= 0xEF) {
                continuations = 2;
                if (lead == 0xE0) secondMin = 0xA0; // overlong
                if (lead == 0xED) secondMax = 0x9F; // surrogates
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuations = 3;
                if (lead == 0xF0) secondMin = 0x90; // overlong
                if (lead == 0xF4) secondMax = 0x8F; // above U+10FFFF
            } else revert CarbonIdInvalidEncoding(i);

            if (i + continuations >= raw.length) revert CarbonIdInvalidEncoding(i);
            for (uint256 j = 1; j <= continuations; j++) {
                uint8 next = uint8(raw[i + j]);
                uint8 low = j == 1 ? secondMin : 0x80;
                uint8 high = j == 1 ? secondMax : 0xBF;
                if (next < low || next > high) revert CarbonIdInvalidEncoding(i + j);
            }
            i += continuations + 1;
        }
    }
}
