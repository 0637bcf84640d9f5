// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TickBitmap
/// @notice Which of 65,536 price ticks are occupied, as a two-level bitmap (UbiTok's idea): 256 words
/// of 256 ticks each, and one summary word telling which of those words are non-empty. Finding the
/// highest or lowest occupied tick, or the next one from a tick, reads at most three words whatever
/// the map holds, so a market that walks its price levels pays the same at its first level and at
/// its thousandth, and needs no insertion hint from the caller (a sorted linked list would).
/// @dev Tick 0 is never occupied: the walks return 0 for "none".
library TickBitmap {
    struct Map {
        uint256 summary; // bit w: word w is non-empty
        mapping(uint256 word => uint256 bits) words;
    }

    function set(Map storage map, uint256 tick) internal {
        uint256 w = tick >> 8;
        uint256 word = map.words[w];
        if (word == 0) map.summary |= 1 << w;
        map.words[w] = word | (1 << (tick & 255));
    }

    function clear(Map storage map, uint256 tick) internal {
        uint256 w = tick >> 8;
        uint256 word = map.words[w] & ~(1 << (tick & 255));
        map.words[w] = word;
        if (word == 0) map.summary &= ~(1 << w);
    }

    /// @dev The highest occupied tick; 0 when the map is empty.
    function highest(Map storage map) internal view returns (uint256) {
        uint256 summary = map.summary;
        if (summary == 0) return 0;
        uint256 w = msb(summary);
        return (w << 8) | msb(map.words[w]);
    }

    /// @dev The lowest occupied tick; 0 when the map is empty.
    function lowest(Map storage map) internal view returns (uint256) {
        uint256 summary = map.summary;
        if (summary == 0) return 0;
        uint256 w = lsb(summary);
        return (w << 8) | lsb(map.words[w]);
    }

    /// @dev The highest occupied tick below `tick`; 0 if none.
    function below(Map storage map, uint256 tick) internal view returns (uint256) {
        uint256 w = tick >> 8;
        unchecked {
            uint256 lower = map.words[w] & ((1 << (tick & 255)) - 1);
            if (lower != 0) return (w << 8) | msb(lower);
            uint256 words = map.summary & ((1 << w) - 1);
            if (words == 0) return 0;
            uint256 v = msb(words);
            return (v << 8) | msb(map.words[v]);
        }
    }

    /// @dev The lowest occupied tick above `tick`; 0 if none.
    function above(Map storage map, uint256 tick) internal view returns (uint256) {
        uint256 w = tick >> 8;
        uint256 b = tick & 255;
        unchecked {
            uint256 higher = b == 255 ? 0 : map.words[w] & ~((2 << b) - 1);
            if (higher != 0) return (w << 8) | lsb(higher);
            uint256 words = w == 255 ? 0 : map.summary & ~((2 << w) - 1);
            if (words == 0) return 0;
            uint256 v = lsb(words);
            return (v << 8) | lsb(map.words[v]);
        }
    }

    /// @dev The most significant set bit of a non-zero word (Uniswap v3's BitMath, by halving).
    function msb(uint256 x) internal pure returns (uint256 r) {
        unchecked {
            if (x >= 1 << 128) (x, r) = (x >> 128, r + 128);
            if (x >= 1 << 64) (x, r) = (x >> 64, r + 64);
            if (x >= 1 << 32) (x, r) = (x >> 32, r + 32);
            if (x >= 1 << 16) (x, r) = (x >> 16, r + 16);
            if (x >= 1 << 8) (x, r) = (x >> 8, r + 8);
            if (x >= 1 << 4) (x, r) = (x >> 4, r + 4);
            if (x >= 1 << 2) (x, r) = (x >> 2, r + 2);
            if (x >= 1 << 1) r += 1;
        }
    }

    /// @dev The least significant set bit of a non-zero word: the msb of its lowest bit alone.
    function lsb(uint256 x) internal pure returns (uint256) {
        unchecked {
            return msb(x & (~x + 1));
        }
    }
}
