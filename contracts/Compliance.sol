// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Carbon} from "./Carbon.sol";
import {ICompliance} from "./interfaces/ICompliance.sol";

/// @title Compliance
/// @notice The cap-and-trade compliance cycle beside the thesis's market: periods under a cap,
/// verified emissions, surrender, compliance status and penalties (issue 8).
/// @dev SKELETON: the integrator's wiring only (constructor, market link, allocate). The compliance
/// helper builds the cycle here.
contract Compliance is ICompliance {
    /// @notice The market this module belongs to; its regulator is this module's regulator.
    Carbon public immutable market;

    error ComplianceUnauthorizedMarket(address caller);

    constructor(Carbon market_) {
        market = market_;
    }

    /// @notice All quota ever surrendered: it has left the market for good (conservation:
    /// customers + sellers + the order book's escrow = issued - settled - surrendered).
    function surrenderedCarbonAmount() external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc ICompliance
    function allocate(address, uint256) external view returns (bool fits) {
        if (msg.sender != address(market)) revert ComplianceUnauthorizedMarket(msg.sender);
        return true;
    }
}
