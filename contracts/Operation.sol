// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The kinds of operation an Activity record describes: the thesis's eight first, in its order,
/// then the compliance cycle's (Compliance) and the order book's (OrderBook). Every contract of the
/// market emits the same `Activity` event with this enum, so one log query (by topic, over the market's
/// addresses) reads an account's whole history. New kinds are appended: a value never changes meaning.
enum Operation {
    NewCustomer,
    NewSeller,
    SendCarbonToCustomer,
    AddCarbon,
    BuyCarbon,
    SettleCarbon,
    FreezeAccount,
    UnfreezeAccount,
    // The compliance cycle (Compliance.sol)
    OpenPeriod,
    ClosePeriod,
    AccreditVerifier,
    RevokeVerifier,
    AppointVerifier,
    AcceptAppointment,
    ReportEmissions,
    ApproveReport,
    RejectReport,
    CorrectEmissions,
    SurrenderCarbon,
    EnforceCompliance,
    // The order book (OrderBook.sol)
    PlaceBid,
    PlaceAsk,
    CancelOrder,
    ExpireOrder,
    Trade,
    SetPriceBand,
    HaltTrading,
    ResumeTrading,
    // The compliance cycle's estimate, and the regulator's handover (Carbon.sol)
    EstimateEmissions,
    ProposeRegulator,
    AcceptRegulator,
    // The order book's withdrawals and sweeps (OrderBook.sol)
    Withdraw,
    PruneLevel,
    // A registered account's new display name (Carbon.setName), for the account's history
    SetName
}
