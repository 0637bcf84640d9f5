// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What the market asks the compliance module when the regulator issues quota.
interface ICompliance {
    /// @notice Counts `amount`, just credited to `customer`, against the open period's cap, and records
    /// it as the customer's allocation for the period. Only the market (Carbon) may call it.
    /// @return fits False, and nothing recorded, when the open period's cap would be exceeded (the
    /// market then takes the credit back and reports "The cap of this period would be exceeded"); true
    /// when it fits or no period is open.
    function allocate(address customer, uint256 amount) external returns (bool fits);
}
