// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Carbon} from "./Carbon.sol";

/// @title OrderBook
/// @notice Matchmaking beside the thesis's lot shop: bids and asks for quota with price-time
/// priority, partial fills and risk limits (issue 9).
/// @dev SKELETON: the integrator's wiring only (constructor, market link). The order-book helper
/// builds the book here.
contract OrderBook {
    /// @notice The market this book belongs to; its regulator is the book's regulator.
    Carbon public immutable market;

    constructor(Carbon market_) {
        market = market_;
    }

    /// @notice Quota held in escrow by open asks (conservation counts it beside the balances).
    function escrowedCarbonAmount() external pure returns (uint256) {
        return 0;
    }

    /// @notice Ether held in escrow by open bids: equal to this contract's balance at every block.
    function escrowedEther() external pure returns (uint256) {
        return 0;
    }
}
