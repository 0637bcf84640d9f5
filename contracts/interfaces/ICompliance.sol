// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What the compliance module answers when the regulator issues quota.
enum Allocation {
    Counted, // counted toward the open period's cap and allocation, or no period is open
    OverCap, // the open period's cap would be exceeded
    PeriodEnded // the open period's surrender deadline has passed: it is over in all but name
}

/// @notice What the market asks the compliance module when the regulator issues quota.
interface ICompliance {
    /// @notice Counts `amount`, just credited to `customer`, against the open period's cap, and records
    /// it as the customer's allocation for the period. Only the market (Carbon) may call it.
    /// @return allocation Counted when it fits or no period is open; otherwise nothing is recorded and
    /// the market takes the credit back and reports why (OverCap: "The cap of this period would be
    /// exceeded"; PeriodEnded: the open period can no longer be reported or surrendered for).
    function allocate(address customer, uint256 amount) external returns (Allocation allocation);
}
