// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry, RegistryStatus} from "./AccountRegistry.sol";
import {Carbon} from "./Carbon.sol";
import {CarbonId} from "./CarbonId.sol";
import {Operation} from "./Operation.sol";
import {Allocation, ICompliance} from "./interfaces/ICompliance.sol";

/// @title Compliance
/// @notice The cap-and-trade compliance cycle beside the thesis's market, as the EU Union Registry and
/// the UK ETS registry run it: the regulator opens a period under a cap; quota issued while it is open
/// counts against the cap; accredited verifiers, appointed by a customer and accepting (two keys),
/// confirm the emissions the customer reports; customers surrender quota (it leaves the market for
/// good); after the surrender deadline the regulator closes the period and enforces it account by
/// account: a short (B) or unreported (C) account is frozen, a penalty is recorded, and its shortfall
/// joins what the account owes until it surrenders it.
/// @dev Every method is O(1) in the number of accounts and periods: records are mappings keyed by
/// (period, account), counters are kept as they change, and nothing loops over accounts or periods.
///
/// The snapshot. Closing is O(1): it only marks the period closed, and yet its statuses are a snapshot
/// taken at that moment, because a status is derived (one pure function, `complianceStatus`) from the
/// period's own record alone, and every input of that record is fixed by then: reports, verifications,
/// appointments and corrections are refused once the period is closed, surrenders and issuance count
/// toward it only up to its surrender deadline, and nothing from another period (what the account owes
/// elsewhere, another period's enforcement, a late surrender) enters it.
///
/// Silence never pays. A C account (one that took part but has no verified emissions) is enforced on
/// the regulator's estimate of its emissions (estimateEmissions, after the reporting deadline, with a
/// reason), raised by ESTIMATE_SURCHARGE_PERCENT: it owes the raised estimate less what it surrendered,
/// and its penalty is the rate times the whole raised estimate. An honest report of V tonnes owes V less
/// what was surrendered and pays the rate on that; so as long as the estimate is not below V, silence
/// owes more and pays more. Without an estimate a C account cannot be enforced: no default figure the
/// chain could compute (a multiple of the allocation, the period's highest intensity) bounds the
/// emissions of an account that bought most of its quota on the market, so the rule that makes silence
/// never cheaper is that the regulator must look. An account that took no part in a period (no
/// allocation, report, verifier or surrender in it) is NotCovered, never C.
///
/// Enforcement order. Each enforcement adds exactly its own period's shortfall to what the account owes
/// (one sum per account) and records its own penalty, so periods can be enforced in any order with the
/// same totals. Enforcement is one transaction per account (`enforceCompliance`), which the CLI sends
/// for every customer: a single closing transaction that froze every non-compliant account would grow
/// with the market and at some size no longer fit in a block.
///
/// The regulator is the market's (`market.regulator()`, read on every call): a handover on Carbon
/// moves this module with it.
///
/// Deadlines are inclusive: an act is on time while `block.timestamp <= deadline`; a period can be
/// closed once `block.timestamp > surrenderDeadline`. Business outcomes are outcome events named like
/// the Operation `(sender, isSuccess, message)`, changing nothing when isSuccess is false, each followed
/// by an `Activity` (whose carbonId field carries the period's label, packed like a lot ID);
/// unauthorised or malformed calls revert with custom errors.
contract Compliance is ICompliance {
    using CarbonId for string;

    /// @notice Where a customer's report for a period stands.
    enum ReportState {
        None, // nothing reported
        Submitted, // reported, awaiting its verifier
        Rejected, // rejected by its verifier (with a reason): can be corrected and resubmitted
        Verified, // approved by its verifier
        Corrected // the verified figure is the regulator's (with a reason)
    }

    /// @notice A customer's compliance status for a period, as the registries write it, plus the two
    /// states before it is decided. Derived by `complianceStatus` only.
    enum Status {
        Unreported, // nothing reported yet, and the reporting deadline has not passed
        Pending, // reported, not yet verified, and the surrender deadline has not passed
        A, // compliant: surrendered >= verified emissions
        B, // short: verified emissions exceed what was surrendered
        C, // took part, but no verified emissions by the deadline
        NotCovered // took no part in the period (no allocation, report, verifier or surrender in it)
    }

    /// @notice A period as the views return it.
    struct PeriodView {
        uint256 periodId;
        string label;
        uint256 cap;
        /// @dev Quota issued while the period was open (counts against the cap).
        uint256 allocated;
        uint256 reportingDeadline;
        uint256 surrenderDeadline;
        /// @dev Penalty per tonne of shortfall (for C: per tonne of the raised estimate).
        uint256 penaltyRate;
        uint256 openedAt;
        bool closed;
        /// @dev Customers who reported (first submissions).
        uint256 reportCount;
        /// @dev Customers with a verified (or corrected) figure.
        uint256 verifiedCount;
        /// @dev Customers enforced so far, and how many of them were B or C.
        uint256 enforcedCount;
        uint256 nonCompliantCount;
        /// @dev Quota surrendered toward this period's obligations, on time.
        uint256 surrendered;
        uint256 penalties;
    }

    /// @notice A customer's record for a period as the views return it.
    struct RecordView {
        uint256 allocated;
        uint256 reported;
        uint256 verified;
        /// @dev Surrendered on time toward this period.
        uint256 surrendered;
        /// @dev The regulator's estimate of an unreported account's emissions (0: none).
        uint256 estimated;
        /// @dev What enforcement counts a C account's obligation on: the estimate raised by the surcharge.
        uint256 obligation;
        /// @dev The shortfall recorded at enforcement (0 for A): added to what the account owes.
        uint256 shortfall;
        uint256 penalty;
        Status status;
        ReportState reportState;
        bool enforced;
        address verifier;
        bool verifierAccepted;
        bytes32 evidence;
        string rejectionReason;
        string correctionReason;
        string estimateReason;
    }

    /// @notice An account's standing across periods: what it still owes (the shortfalls of every period
    /// enforced on it, less what it surrendered late) and the period enforced on it last.
    struct StandingView {
        uint256 outstanding;
        bool enforcedAny;
        uint256 lastEnforcedPeriod;
    }

    /// @dev Six slots; the counters are 32 bits (one report or enforcement per transaction). Quota
    /// amounts are 128 bits, like the issued total they are part of; penalties are 256 (a rate times a
    /// 128-bit allocation).
    struct Period {
        bytes32 label;
        uint128 cap;
        uint128 allocated;
        uint64 reportingDeadline;
        uint64 surrenderDeadline;
        uint64 penaltyRate;
        uint64 openedAt;
        bool closed;
        uint32 reportCount;
        uint32 verifiedCount;
        uint32 enforcedCount;
        uint32 nonCompliantCount;
        uint128 surrendered;
        uint256 penalties;
    }

    /// @dev Tonnes are 96 bits like a balance; sums of quota (allocated, surrendered, what is owed) are
    /// 128 bits like the issued total they are part of. Slot 0 is what issuing and reporting write;
    /// slot 1 what verification and surrender write; slot 2 the verifier and the regulator's estimate;
    /// the rest is written once, at enforcement.
    struct Record {
        uint128 allocated;
        uint96 reported;
        ReportState reportState;
        Status finalStatus;
        bool enforced;
        bool verifierAccepted;
        uint128 surrendered;
        uint96 verified;
        address verifier;
        uint96 estimated;
        uint128 shortfall;
        uint256 penalty;
        bytes32 evidence;
    }

    /// @dev One slot per account: what it owes, the sum of the shortfalls of every period enforced on
    /// it less its late surrenders (a sum, so the order periods are enforced in does not matter), and
    /// the id + 1 of the period enforced on it last (0: none yet).
    struct Standing {
        uint128 outstanding;
        uint64 lastEnforced;
    }

    /// @notice How much an estimate is raised before a C account's obligation and penalty are counted on
    /// it: the cost of leaving the regulator to estimate rather than reporting.
    uint256 public constant ESTIMATE_SURCHARGE_PERCENT = 10;

    uint256 private constant MAX_REASON = 256;
    string private constant CLOSED = "This period is closed";
    string private constant SURRENDER_OVER = "The surrender deadline has passed";
    string private constant NOT_ACCREDITED = "This verifier is not accredited";
    string private constant ALREADY_ENFORCED = "This account has already been enforced for this period";

    /// @notice The market this module belongs to; its regulator (read there on every call, never
    /// copied) is this module's regulator.
    Carbon public immutable market;
    AccountRegistry private immutable _customers;

    Period[] private _periods;
    mapping(uint256 periodId => mapping(address customer => Record)) private _records;
    mapping(uint256 periodId => mapping(address customer => string)) private _rejectionReasons;
    mapping(uint256 periodId => mapping(address customer => string)) private _correctionReasons;
    mapping(uint256 periodId => mapping(address customer => string)) private _estimateReasons;
    mapping(address account => Standing) private _standings;
    // Accredited verifiers: an enumerable set (swap-and-pop), 1-based positions so 0 means "not accredited".
    mapping(address verifier => uint256 position) private _verifierPosition;
    address[] private _verifiers;
    // Who appointed a verifier, per period, in order (re-appointments append: filter by the record's verifier).
    mapping(uint256 periodId => mapping(address verifier => address[])) private _appointments;
    uint256 private _surrendered;
    uint256 private _penalties;

    /// @notice Only the market (Carbon) may call this.
    error ComplianceUnauthorizedMarket(address caller);
    /// @notice Only the regulator may do this.
    error ComplianceUnauthorizedRegulator(address caller);
    /// @notice `caller` may not act for `account`.
    error ComplianceUnauthorizedAccount(address caller, address account);
    /// @notice `account` is not a registered customer.
    error ComplianceNotCustomer(address account);
    error ComplianceUnknownPeriod(uint256 periodId);
    error ComplianceZeroAmount();
    /// @notice An amount above `max` does not fit the records' packed storage.
    error ComplianceAmountTooLarge(uint256 amount, uint256 max);
    /// @notice The reporting deadline must be in the future and no later than the surrender deadline.
    error ComplianceInvalidDeadlines(uint256 reportingDeadline, uint256 surrenderDeadline, uint256 timestamp);
    /// @notice The zero address or the regulator cannot be a verifier.
    error ComplianceInvalidAccount(address account);
    /// @notice A customer cannot verify its own emissions.
    error ComplianceSelfVerification(address account);
    /// @notice A report needs the hash of its evidence document.
    error ComplianceEmptyEvidence();
    /// @notice A reason is 1 to 256 bytes.
    error ComplianceInvalidReason(uint256 length);

    event OpenPeriod(address sender, bool isSuccess, string message);
    event ClosePeriod(address sender, bool isSuccess, string message);
    event AccreditVerifier(address sender, bool isSuccess, string message);
    event RevokeVerifier(address sender, bool isSuccess, string message);
    event AppointVerifier(address sender, bool isSuccess, string message);
    event AcceptAppointment(address sender, bool isSuccess, string message);
    event ReportEmissions(address sender, bool isSuccess, string message);
    event ApproveReport(address sender, bool isSuccess, string message);
    event RejectReport(address sender, bool isSuccess, string message);
    event CorrectEmissions(address sender, bool isSuccess, string message);
    event SurrenderCarbon(address sender, bool isSuccess, string message);
    event EnforceCompliance(address sender, bool isSuccess, string message);
    event EstimateEmissions(address sender, bool isSuccess, string message);

    /// @notice The details of a successful step that the outcome and Activity events do not carry.
    event PeriodOpened(uint256 indexed periodId, bytes32 label, uint256 cap, uint256 reportingDeadline, uint256 surrenderDeadline, uint256 penaltyRate);
    event ReportRejected(uint256 indexed periodId, address indexed customer, address verifier, string reason);
    event EmissionsCorrected(uint256 indexed periodId, address indexed customer, uint256 previous, uint256 corrected, string reason);
    /// @notice The regulator's estimate of an unreported account's emissions (`previous`: the estimate it
    /// replaces, 0 for the first) and the obligation it sets, the estimate raised by the surcharge.
    event EmissionsEstimated(uint256 indexed periodId, address indexed customer, uint256 previous, uint256 estimated, uint256 obligation, string reason);
    event ComplianceEnforced(uint256 indexed periodId, address indexed customer, Status status, uint256 shortfall, uint256 penalty);

    /// @notice As Carbon's: one per operation, so one log query reads an account's whole history.
    event Activity(
        address indexed account,
        address indexed counterparty,
        Operation indexed operation,
        bytes32 carbonId,
        uint256 amount,
        bool isSuccess
    );

    constructor(Carbon market_) {
        market = market_;
        _customers = market_.customerRegistry();
    }

    modifier onlyRegulator() {
        if (msg.sender != market.regulator()) revert ComplianceUnauthorizedRegulator(msg.sender);
        _;
    }

    modifier onlySelf(address account) {
        if (msg.sender != account) revert ComplianceUnauthorizedAccount(msg.sender, account);
        _;
    }

    modifier onlyCustomer(address account) {
        if (!_customers.isRegistered(account)) revert ComplianceNotCustomer(account);
        _;
    }

    modifier knownPeriod(uint256 periodId) {
        if (periodId >= _periods.length) revert ComplianceUnknownPeriod(periodId);
        _;
    }

    // ---------------------------------------------------------------- periods

    /// @notice The regulator opens the next period: `label` (e.g. "2026"), a `cap` on the quota issued
    /// while it is open, the deadlines (block timestamps) for reporting and for surrendering, and the
    /// penalty per tonne of shortfall.
    /// @dev Requires the regulator; a label as a lot ID is written (1 to 32 bytes, see CarbonId); a cap
    /// from 1 to 2^128-1; now < reportingDeadline <= surrenderDeadline < 2^64; a rate below 2^64.
    /// Emits OpenPeriod: "Period opened" / "A period is already open" (the previous one is not closed).
    function openPeriod(
        string calldata label,
        uint256 cap,
        uint256 reportingDeadline,
        uint256 surrenderDeadline,
        uint256 penaltyRate
    ) external onlyRegulator {
        bytes32 packed = label.pack();
        if (cap == 0) revert ComplianceZeroAmount();
        if (cap > type(uint128).max) revert ComplianceAmountTooLarge(cap, type(uint128).max);
        if (reportingDeadline <= block.timestamp || surrenderDeadline < reportingDeadline || surrenderDeadline > type(uint64).max) {
            revert ComplianceInvalidDeadlines(reportingDeadline, surrenderDeadline, block.timestamp);
        }
        if (penaltyRate > type(uint64).max) revert ComplianceAmountTooLarge(penaltyRate, type(uint64).max);

        uint256 count = _periods.length;
        bool ok = count == 0 || _periods[count - 1].closed;
        if (ok) {
            Period storage period = _periods.push();
            (period.label, period.cap) = (packed, uint128(cap));
            (period.reportingDeadline, period.surrenderDeadline, period.penaltyRate, period.openedAt) =
                (uint64(reportingDeadline), uint64(surrenderDeadline), uint64(penaltyRate), uint64(block.timestamp));
            emit PeriodOpened(count, packed, cap, reportingDeadline, surrenderDeadline, penaltyRate);
        }
        emit OpenPeriod(msg.sender, ok, ok ? "Period opened" : "A period is already open");
        emit Activity(msg.sender, address(0), Operation.OpenPeriod, packed, cap, ok);
    }

    /// @notice The regulator closes period `periodId` once its surrender deadline has passed: its
    /// statuses are a snapshot from then on (see the contract's notes), and each account can be
    /// enforced (enforceCompliance), in any order of periods.
    /// @dev Requires the regulator and a period that exists. O(1): see the contract's notes. Emits
    /// ClosePeriod: "Period closed" / "This period is already closed" / "The surrender deadline has not passed yet".
    function closePeriod(uint256 periodId) external onlyRegulator knownPeriod(periodId) {
        Period storage period = _periods[periodId];
        string memory failure;
        if (period.closed) failure = "This period is already closed";
        else if (block.timestamp <= period.surrenderDeadline) failure = "The surrender deadline has not passed yet";
        else period.closed = true;
        bool ok = bytes(failure).length == 0;
        emit ClosePeriod(msg.sender, ok, ok ? "Period closed" : failure);
        emit Activity(msg.sender, address(0), Operation.ClosePeriod, period.label, period.allocated, ok);
    }

    /// @inheritdoc ICompliance
    /// @dev Counts while the latest period is not closed and its surrender deadline has not passed. After
    /// that deadline and before closing the period is over in all but name: quota issued then could not
    /// be reported or surrendered for, so it is refused (PeriodEnded) rather than counted toward it; once
    /// the period is closed issuing counts toward no period until the next opens.
    function allocate(address customer, uint256 amount) external returns (Allocation) {
        if (msg.sender != address(market)) revert ComplianceUnauthorizedMarket(msg.sender);
        uint256 count = _periods.length;
        if (count == 0) return Allocation.Counted;
        Period storage period = _periods[count - 1];
        if (period.closed) return Allocation.Counted;
        if (block.timestamp > period.surrenderDeadline) return Allocation.PeriodEnded;
        uint256 allocated = period.allocated + amount;
        if (allocated > period.cap) return Allocation.OverCap;
        period.allocated = uint128(allocated);
        // Under a 128-bit cap: the period's allocation, and so the customer's, fits 128 bits.
        _records[count - 1][customer].allocated += uint128(amount);
        return Allocation.Counted;
    }

    // ---------------------------------------------------------------- verifiers

    /// @notice The regulator accredits `verifier`: customers can appoint it to verify their emissions.
    /// @dev Requires the regulator; not the zero address nor the regulator. Emits AccreditVerifier:
    /// "Verifier accredited" / "This verifier is already accredited".
    function accreditVerifier(address verifier) external onlyRegulator {
        if (verifier == address(0) || verifier == market.regulator()) revert ComplianceInvalidAccount(verifier);
        bool ok = _verifierPosition[verifier] == 0;
        if (ok) {
            _verifiers.push(verifier);
            _verifierPosition[verifier] = _verifiers.length;
        }
        emit AccreditVerifier(msg.sender, ok, ok ? "Verifier accredited" : "This verifier is already accredited");
        emit Activity(verifier, ok ? msg.sender : address(0), Operation.AccreditVerifier, 0, 0, ok);
    }

    /// @notice The regulator revokes `verifier`'s accreditation: it can no longer accept, approve or
    /// reject (what it verified stays verified), and its customers can appoint another verifier.
    /// @dev Requires the regulator. Emits RevokeVerifier: "Verifier revoked" / "This account is not an accredited verifier".
    function revokeVerifier(address verifier) external onlyRegulator {
        uint256 position = _verifierPosition[verifier];
        bool ok = position != 0;
        if (ok) {
            address last = _verifiers[_verifiers.length - 1];
            _verifiers[position - 1] = last;
            _verifierPosition[last] = position;
            _verifiers.pop();
            delete _verifierPosition[verifier];
        }
        emit RevokeVerifier(msg.sender, ok, ok ? "Verifier revoked" : "This account is not an accredited verifier");
        emit Activity(verifier, ok ? msg.sender : address(0), Operation.RevokeVerifier, 0, 0, ok);
    }

    /// @notice A customer appoints `verifier` for period `periodId` (the first key); the verifier then
    /// accepts (acceptAppointment, the second key).
    /// @dev Requires the sender to be the registered customer, a known period, a verifier other than the
    /// customer. A customer may appoint another verifier until one has accepted, or after the one who
    /// accepted lost its accreditation. Emits AppointVerifier: "Verifier appointed" / "This period is closed" /
    /// "The surrender deadline has passed" / "This verifier is not accredited" / "This report has already been verified" /
    /// "Your verifier has already accepted this appointment".
    function appointVerifier(address customer, uint256 periodId, address verifier)
        external
        onlySelf(customer)
        onlyCustomer(customer)
        knownPeriod(periodId)
    {
        if (verifier == customer) revert ComplianceSelfVerification(customer);
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure = _openFailure(period);
        if (bytes(failure).length == 0) {
            if (!isVerifier(verifier)) failure = NOT_ACCREDITED;
            else if (_isVerified(record.reportState)) failure = "This report has already been verified";
            else if (record.verifierAccepted && isVerifier(record.verifier)) failure = "Your verifier has already accepted this appointment";
        }
        bool ok = bytes(failure).length == 0;
        if (ok) {
            (record.verifier, record.verifierAccepted) = (verifier, false);
            _appointments[periodId][verifier].push(customer);
        }
        emit AppointVerifier(msg.sender, ok, ok ? "Verifier appointed" : failure);
        emit Activity(customer, ok ? verifier : address(0), Operation.AppointVerifier, period.label, 0, ok);
    }

    /// @notice The verifier `customer` appointed for `periodId` accepts the appointment: from now on it
    /// alone can approve or reject that customer's report.
    /// @dev Requires the sender to be `verifier` and a known period. Emits AcceptAppointment:
    /// "Appointment accepted" / "This period is closed" / "The surrender deadline has passed" /
    /// "This verifier is not accredited" / "You have not been appointed by this customer" /
    /// "You have already accepted this appointment".
    function acceptAppointment(address verifier, address customer, uint256 periodId)
        external
        onlySelf(verifier)
        knownPeriod(periodId)
    {
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure = _openFailure(period);
        if (bytes(failure).length == 0) {
            if (!isVerifier(verifier)) failure = NOT_ACCREDITED;
            else if (record.verifier != verifier) failure = "You have not been appointed by this customer";
            else if (record.verifierAccepted) failure = "You have already accepted this appointment";
        }
        bool ok = bytes(failure).length == 0;
        if (ok) record.verifierAccepted = true;
        emit AcceptAppointment(msg.sender, ok, ok ? "Appointment accepted" : failure);
        emit Activity(verifier, ok ? customer : address(0), Operation.AcceptAppointment, period.label, 0, ok);
    }

    // ---------------------------------------------------------------- reports

    /// @notice A customer reports its emissions for `periodId`: `tonnes`, and `evidence`, the hash of
    /// its evidence document. The same call resubmits a report its verifier rejected, corrected.
    /// @dev Requires the sender to be the registered customer, a known period, a non-zero evidence hash,
    /// tonnes below 2^96. A first report is on time up to the reporting deadline; a resubmission up to
    /// the surrender deadline (so that it can still be verified). Emits ReportEmissions:
    /// "Emissions reported" / "Report resubmitted" / "This period is closed" / "The reporting deadline has passed" /
    /// "The surrender deadline has passed" / "This report is awaiting verification" / "This report has already been verified".
    function reportEmissions(address customer, uint256 periodId, uint256 tonnes, bytes32 evidence)
        external
        onlySelf(customer)
        onlyCustomer(customer)
        knownPeriod(periodId)
    {
        if (evidence == 0) revert ComplianceEmptyEvidence();
        if (tonnes > type(uint96).max) revert ComplianceAmountTooLarge(tonnes, type(uint96).max);
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        ReportState state = record.reportState;
        string memory failure;
        if (period.closed) failure = CLOSED;
        else if (state == ReportState.Submitted) failure = "This report is awaiting verification";
        else if (_isVerified(state)) failure = "This report has already been verified";
        else if (state == ReportState.None && block.timestamp > period.reportingDeadline) failure = "The reporting deadline has passed";
        else if (block.timestamp > period.surrenderDeadline) failure = SURRENDER_OVER;
        else {
            (record.reported, record.reportState, record.evidence) = (uint96(tonnes), ReportState.Submitted, evidence);
            if (state == ReportState.None) period.reportCount += 1;
        }
        bool ok = bytes(failure).length == 0;
        string memory success = state == ReportState.Rejected ? "Report resubmitted" : "Emissions reported";
        emit ReportEmissions(msg.sender, ok, ok ? success : failure);
        emit Activity(customer, address(0), Operation.ReportEmissions, period.label, tonnes, ok);
    }

    /// @notice The customer's accepted verifier approves its report: the reported tonnes become its
    /// verified emissions for the period.
    /// @dev Requires the sender to be `verifier` and a known period. Emits ApproveReport: "Report approved" /
    /// "This period is closed" / "The surrender deadline has passed" / "This verifier is not accredited" /
    /// "You are not this customer's verifier" / "There is no report awaiting verification" / "This report has already been verified".
    function approveReport(address verifier, address customer, uint256 periodId)
        external
        onlySelf(verifier)
        knownPeriod(periodId)
    {
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure = _verificationFailure(period, record, verifier);
        uint256 tonnes = record.reported;
        if (bytes(failure).length == 0) {
            (record.verified, record.reportState) = (uint96(tonnes), ReportState.Verified);
            period.verifiedCount += 1;
        }
        bool ok = bytes(failure).length == 0;
        emit ApproveReport(msg.sender, ok, ok ? "Report approved" : failure);
        emit Activity(customer, ok ? verifier : address(0), Operation.ApproveReport, period.label, ok ? tonnes : 0, ok);
    }

    /// @notice The customer's accepted verifier rejects its report, saying why; the customer can correct
    /// and resubmit it (reportEmissions).
    /// @dev As approveReport, and a reason of 1 to 256 bytes (kept in the record, and in ReportRejected).
    /// Emits RejectReport: "Report rejected" / the failures of approveReport.
    function rejectReport(address verifier, address customer, uint256 periodId, string calldata reason)
        external
        onlySelf(verifier)
        knownPeriod(periodId)
    {
        _checkReason(reason);
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure = _verificationFailure(period, record, verifier);
        if (bytes(failure).length == 0) {
            record.reportState = ReportState.Rejected;
            _rejectionReasons[periodId][customer] = reason;
            emit ReportRejected(periodId, customer, verifier, reason);
        }
        bool ok = bytes(failure).length == 0;
        emit RejectReport(msg.sender, ok, ok ? "Report rejected" : failure);
        emit Activity(customer, ok ? verifier : address(0), Operation.RejectReport, period.label, ok ? record.reported : 0, ok);
    }

    /// @notice The regulator sets a customer's verified emissions for `periodId` to `tonnes`, saying
    /// why: it corrects a verified figure, or determines one where none was verified.
    /// @dev Requires the regulator, a registered customer, a known period, tonnes below 2^96, a reason
    /// of 1 to 256 bytes (kept in the record, and in EmissionsCorrected with the previous figure).
    /// Emits CorrectEmissions: "Emissions corrected" / "This period is closed".
    function correctEmissions(address customer, uint256 periodId, uint256 tonnes, string calldata reason)
        external
        onlyRegulator
        onlyCustomer(customer)
        knownPeriod(periodId)
    {
        if (tonnes > type(uint96).max) revert ComplianceAmountTooLarge(tonnes, type(uint96).max);
        _checkReason(reason);
        Period storage period = _periods[periodId];
        bool ok = !period.closed;
        if (ok) {
            Record storage record = _records[periodId][customer];
            if (!_isVerified(record.reportState)) period.verifiedCount += 1;
            emit EmissionsCorrected(periodId, customer, record.verified, tonnes, reason);
            (record.verified, record.reportState) = (uint96(tonnes), ReportState.Corrected);
            _correctionReasons[periodId][customer] = reason;
        }
        emit CorrectEmissions(msg.sender, ok, ok ? "Emissions corrected" : CLOSED);
        emit Activity(customer, ok ? msg.sender : address(0), Operation.CorrectEmissions, period.label, tonnes, ok);
    }

    /// @notice The regulator estimates, conservatively and saying why, the emissions of a customer that
    /// has no verified figure for `periodId`: if it ends the period C, enforcement counts its obligation
    /// and penalty on `tonnes` raised by ESTIMATE_SURCHARGE_PERCENT (see the contract's notes). A new
    /// estimate replaces the last until the account is enforced.
    /// @dev Requires the regulator, a registered customer, a known period, tonnes from 1 to 2^96-1, a
    /// reason of 1 to 256 bytes (kept in the record, and in EmissionsEstimated). Allowed after the
    /// period's reporting deadline, closed or not: the estimate is an amount enforcement uses, not an
    /// input of the status, so the closing snapshot stands. Emits EstimateEmissions: "Emissions estimated" /
    /// "The reporting deadline has not passed yet" / "This account's emissions are verified" /
    /// "This account took no part in this period" / "This account has already been enforced for this period".
    function estimateEmissions(address customer, uint256 periodId, uint256 tonnes, string calldata reason)
        external
        onlyRegulator
        onlyCustomer(customer)
        knownPeriod(periodId)
    {
        if (tonnes == 0) revert ComplianceZeroAmount();
        if (tonnes > type(uint96).max) revert ComplianceAmountTooLarge(tonnes, type(uint96).max);
        _checkReason(reason);
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure;
        if (block.timestamp <= period.reportingDeadline) failure = "The reporting deadline has not passed yet";
        else if (record.enforced) failure = ALREADY_ENFORCED;
        else if (_isVerified(record.reportState)) failure = "This account's emissions are verified";
        else if (!_tookPart(record)) failure = "This account took no part in this period";
        bool ok = bytes(failure).length == 0;
        if (ok) {
            emit EmissionsEstimated(periodId, customer, record.estimated, tonnes, _raised(tonnes), reason);
            record.estimated = uint96(tonnes);
            _estimateReasons[periodId][customer] = reason;
        }
        emit EstimateEmissions(msg.sender, ok, ok ? "Emissions estimated" : failure);
        emit Activity(customer, ok ? msg.sender : address(0), Operation.EstimateEmissions, period.label, tonnes, ok);
    }

    // ---------------------------------------------------------------- surrender

    /// @notice A customer surrenders `amount` of its quota: it leaves its balance for good. It pays
    /// first what the customer still owes from enforced periods (a late surrender: once that is cleared
    /// the regulator can unfreeze the account), and the rest counts toward the open period's
    /// obligation, up to its surrender deadline. A late surrender changes no period's status. Quota not surrendered stays with the customer (banking).
    /// @dev Requires the sender to be the registered customer and an amount from 1 to 2^96-1. A frozen
    /// account can surrender (that is how it becomes compliant). Emits SurrenderCarbon: "Quota surrendered" /
    /// "Quota surrendered, the shortfall is cleared" / "There is no open period to surrender for" /
    /// "The surrender deadline has passed" / "Insufficient balance, surrender failed".
    function surrenderCarbon(address customer, uint256 amount) external onlySelf(customer) onlyCustomer(customer) {
        if (amount == 0) revert ComplianceZeroAmount();
        if (amount > type(uint96).max) revert ComplianceAmountTooLarge(amount, type(uint96).max);
        Standing memory standing = _standings[customer];
        uint256 toDebt = amount < standing.outstanding ? amount : standing.outstanding;
        (string memory failure, bytes32 label) = _surrenderFailure(standing, amount - toDebt);
        if (bytes(failure).length == 0 && _customers.retire(customer, amount) == RegistryStatus.InsufficientBalance) {
            failure = "Insufficient balance, surrender failed";
        }
        bool ok = bytes(failure).length == 0;
        if (ok) {
            if (toDebt != 0) _standings[customer].outstanding = uint128(standing.outstanding - toDebt);
            if (amount != toDebt) {
                uint256 current = _periods.length - 1;
                _records[current][customer].surrendered += uint128(amount - toDebt);
                _periods[current].surrendered += uint128(amount - toDebt);
            }
            _surrendered += amount;
        }
        string memory success = toDebt != 0 && toDebt == standing.outstanding
            ? "Quota surrendered, the shortfall is cleared"
            : "Quota surrendered";
        emit SurrenderCarbon(msg.sender, ok, ok ? success : failure);
        emit Activity(customer, ok ? market.regulator() : address(0), Operation.SurrenderCarbon, label, amount, ok);
    }

    // ---------------------------------------------------------------- enforcement

    /// @notice The regulator enforces closed period `periodId` on one customer: its status in the
    /// closing snapshot decides, and exactly this period's shortfall and penalty are recorded, whatever
    /// other periods were enforced before.
    /// A: nothing happens. B: the account is frozen, its shortfall (verified - surrendered) joins what it
    /// owes, and the penalty is the rate times that shortfall. C: the account is frozen; its obligation
    /// is the regulator's estimate raised by the surcharge, its shortfall (obligation - surrendered)
    /// joins what it owes, and the penalty is the rate times the whole obligation; it needs an estimate
    /// first (estimateEmissions). NotCovered: nothing happens.
    /// @dev Requires the regulator, a registered customer, a known period. One transaction per account
    /// (see the contract's notes), periods in any order. Emits EnforceCompliance: "Compliant" /
    /// "Short: the account is frozen and a penalty recorded" /
    /// "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate" /
    /// "This account took no part in this period" / "This period is not closed yet" /
    /// "This account has already been enforced for this period" /
    /// "No verified emissions and no estimate: estimate this account's emissions first";
    /// and, when it freezes, the market's FreezeAccount.
    function enforceCompliance(address customer, uint256 periodId)
        external
        onlyRegulator
        onlyCustomer(customer)
        knownPeriod(periodId)
    {
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        string memory failure;
        Status status;
        if (!period.closed) failure = "This period is not closed yet";
        else if (record.enforced) failure = ALREADY_ENFORCED;
        else {
            status = _closedStatus(record);
            if (status == Status.C && record.estimated == 0) failure = "No verified emissions and no estimate: estimate this account's emissions first";
        }
        bool ok = bytes(failure).length == 0;
        uint256 penalty;
        if (ok) penalty = _enforce(customer, periodId, status);
        string memory success = status == Status.A
            ? "Compliant"
            : status == Status.B
                ? "Short: the account is frozen and a penalty recorded"
                : status == Status.C
                    ? "No verified emissions: the account is frozen and a penalty recorded on the regulator's estimate"
                    : "This account took no part in this period";
        emit EnforceCompliance(msg.sender, ok, ok ? success : failure);
        emit Activity(customer, ok ? msg.sender : address(0), Operation.EnforceCompliance, period.label, penalty, ok);
    }

    // ---------------------------------------------------------------- status

    /// @notice The one rule that decides a compliance status (the UK ETS registry's calculator): A if
    /// verified emissions were surrendered, B if they exceed what was surrendered; for an account with
    /// no verified figure, NotCovered if it took no part in the period and its reporting deadline has
    /// passed, C if it took part and nothing was reported by the reporting deadline or verified by the
    /// surrender deadline; before that, Pending once reported, Unreported until then. Every input is
    /// the period's own (nothing carried from another), so a closed period's answer never changes. The
    /// views, the enforcement, the CLI's table and the tests all read it.
    function complianceStatus(
        ReportState report,
        uint256 verified,
        uint256 surrendered,
        bool tookPart,
        bool reportingOver,
        bool surrenderOver
    ) public pure returns (Status) {
        if (_isVerified(report)) return surrendered >= verified ? Status.A : Status.B;
        if (!tookPart) return reportingOver ? Status.NotCovered : Status.Unreported;
        if (surrenderOver || (reportingOver && report == ReportState.None)) return Status.C;
        return report == ReportState.None ? Status.Unreported : Status.Pending;
    }

    /// @notice A customer's status for a period now: derived with the period's deadlines at this block;
    /// from closing on, the snapshot (enforcement records the same answer).
    function statusOf(address customer, uint256 periodId) public view knownPeriod(periodId) returns (Status) {
        Record storage record = _records[periodId][customer];
        Period storage period = _periods[periodId];
        if (period.closed) return _closedStatus(record);
        return complianceStatus(
            record.reportState,
            record.verified,
            record.surrendered,
            _tookPart(record),
            block.timestamp > period.reportingDeadline,
            block.timestamp > period.surrenderDeadline
        );
    }

    // ---------------------------------------------------------------- views

    /// @notice The chain's clock (this block's timestamp), against which every deadline is compared:
    /// clients check deadlines with it rather than with their own clock.
    function currentTime() external view returns (uint256) {
        return block.timestamp;
    }

    /// @notice How many periods were opened (ids run from 0).
    function periodCount() external view returns (uint256) {
        return _periods.length;
    }

    /// @notice The latest period's id and whether it is still open (not closed); (false, 0) before the first.
    function currentPeriod() external view returns (bool isOpen, uint256 periodId) {
        uint256 count = _periods.length;
        if (count == 0) return (false, 0);
        return (!_periods[count - 1].closed, count - 1);
    }

    function getPeriod(uint256 periodId) external view knownPeriod(periodId) returns (PeriodView memory) {
        Period storage period = _periods[periodId];
        return PeriodView({
            periodId: periodId,
            label: CarbonId.unpack(period.label),
            cap: period.cap,
            allocated: period.allocated,
            reportingDeadline: period.reportingDeadline,
            surrenderDeadline: period.surrenderDeadline,
            penaltyRate: period.penaltyRate,
            openedAt: period.openedAt,
            closed: period.closed,
            reportCount: period.reportCount,
            verifiedCount: period.verifiedCount,
            enforcedCount: period.enforcedCount,
            nonCompliantCount: period.nonCompliantCount,
            surrendered: period.surrendered,
            penalties: period.penalties
        });
    }

    /// @notice A customer's record for a period (all zero for an account that did nothing in it). What
    /// the account owes across periods is standingOf's.
    function getRecord(address customer, uint256 periodId) external view knownPeriod(periodId) returns (RecordView memory view_) {
        Record storage record = _records[periodId][customer];
        view_.allocated = record.allocated;
        view_.reported = record.reported;
        view_.verified = record.verified;
        view_.surrendered = record.surrendered;
        view_.estimated = record.estimated;
        view_.obligation = _raised(record.estimated);
        view_.shortfall = record.shortfall;
        view_.penalty = record.penalty;
        view_.status = statusOf(customer, periodId);
        view_.reportState = record.reportState;
        view_.enforced = record.enforced;
        view_.verifier = record.verifier;
        view_.verifierAccepted = record.verifierAccepted;
        view_.evidence = record.evidence;
        view_.rejectionReason = _rejectionReasons[periodId][customer];
        view_.correctionReason = _correctionReasons[periodId][customer];
        view_.estimateReason = _estimateReasons[periodId][customer];
    }

    /// @notice What `account` still owes (the shortfalls of every period enforced on it less its late
    /// surrenders), and the period enforced on it last: the regulator unfreezes a compliance-frozen
    /// account once it owes nothing.
    function standingOf(address account) external view returns (StandingView memory) {
        Standing memory standing = _standings[account];
        return StandingView({
            outstanding: standing.outstanding,
            enforcedAny: standing.lastEnforced != 0,
            lastEnforcedPeriod: standing.lastEnforced == 0 ? 0 : standing.lastEnforced - 1
        });
    }

    function isVerifier(address account) public view returns (bool) {
        return _verifierPosition[account] != 0;
    }

    function getVerifierCount() external view returns (uint256) {
        return _verifiers.length;
    }

    /// @notice Up to `limit` accredited verifiers from `offset` on (order changes as verifiers are revoked).
    function getVerifiers(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        page = new address[](_pageLength(_verifiers.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = _verifiers[offset + i];
    }

    /// @notice How many appointments `verifier` received for `periodId` (re-appointments included).
    function getAppointmentCount(uint256 periodId, address verifier) external view returns (uint256) {
        return _appointments[periodId][verifier].length;
    }

    /// @notice Up to `limit` customers who appointed `verifier` for `periodId`, from `offset` on, in
    /// order. A customer who later appointed someone else is still listed: its record's `verifier` says
    /// who verifies it now.
    function getAppointments(uint256 periodId, address verifier, uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory page)
    {
        address[] storage list = _appointments[periodId][verifier];
        page = new address[](_pageLength(list.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = list[offset + i];
    }

    /// @notice All quota ever surrendered: it has left the market for good (conservation:
    /// customers + sellers + the order book's escrow = issued - settled - surrendered).
    function surrenderedCarbonAmount() external view returns (uint256) {
        return _surrendered;
    }

    /// @notice All penalties ever recorded.
    function penaltyTotal() external view returns (uint256) {
        return _penalties;
    }

    // ---------------------------------------------------------------- internal

    /// @dev Enforcement's effects, once its checks passed: the final status, this period's own shortfall
    /// added to what the account owes, the penalty, and the freeze.
    function _enforce(address customer, uint256 periodId, Status status) private returns (uint256 penalty) {
        Period storage period = _periods[periodId];
        Record storage record = _records[periodId][customer];
        (uint256 verified, uint256 surrendered) = (record.verified, record.surrendered);
        uint256 shortfall;
        if (status == Status.B) {
            shortfall = verified - surrendered;
            penalty = shortfall * period.penaltyRate;
        } else if (status == Status.C) {
            uint256 obligation = _raised(record.estimated);
            shortfall = obligation > surrendered ? obligation - surrendered : 0;
            penalty = obligation * period.penaltyRate;
        }
        // A shortfall is below 2^97 (a raised 96-bit estimate); what is owed stays below 2^128 unless
        // such shortfalls went unpaid for billions of periods: it saturates there rather than fail.
        uint256 owed = _standings[customer].outstanding + shortfall;
        if (owed > type(uint128).max) owed = type(uint128).max;
        (record.enforced, record.finalStatus, record.shortfall, record.penalty) = (true, status, uint128(shortfall), penalty);
        _standings[customer] = Standing({outstanding: uint128(owed), lastEnforced: uint64(periodId + 1)});
        period.enforcedCount += 1;
        if (status == Status.B || status == Status.C) {
            period.nonCompliantCount += 1;
            period.penalties += penalty;
            _penalties += penalty;
            // The regulator cannot be frozen (Carbon refuses): it keeps its penalty and shortfall only.
            if (customer != market.regulator() && !market.isFrozen(customer)) market.freezeAccount(customer);
        }
        emit ComplianceEnforced(periodId, customer, status, shortfall, penalty);
    }

    /// @dev The status of a record in a closed period (or one past its surrender deadline): the snapshot.
    function _closedStatus(Record storage record) private view returns (Status) {
        return complianceStatus(record.reportState, record.verified, record.surrendered, _tookPart(record), true, true);
    }

    /// @dev Whether an account took part in a period: quota allocated in it, a report, a verifier
    /// appointed, or quota surrendered toward it. Each of these is fixed once the surrender deadline passes.
    function _tookPart(Record storage record) private view returns (bool) {
        return record.allocated != 0 || record.reportState != ReportState.None || record.verifier != address(0) || record.surrendered != 0;
    }

    /// @dev An estimate raised by the surcharge, rounded up: the obligation a C account is enforced on.
    function _raised(uint256 estimated) private pure returns (uint256) {
        return estimated + (estimated * ESTIMATE_SURCHARGE_PERCENT + 99) / 100;
    }

    /// @dev Why a verifier's or customer's step in a period cannot be taken now ("" if it can).
    function _openFailure(Period storage period) private view returns (string memory) {
        if (period.closed) return CLOSED;
        if (block.timestamp > period.surrenderDeadline) return SURRENDER_OVER;
        return "";
    }

    /// @dev Why `toPeriod` (what a surrender leaves after paying the account's shortfall) cannot go to the
    /// open period now ("" if it can, or if it is 0), and the label the history names: the open period's
    /// when quota goes to it, else the period whose shortfall the surrender pays.
    function _surrenderFailure(Standing memory standing, uint256 toPeriod)
        private
        view
        returns (string memory failure, bytes32 label)
    {
        uint256 count = _periods.length;
        if (standing.lastEnforced != 0) label = _periods[standing.lastEnforced - 1].label;
        if (toPeriod == 0) return ("", label);
        if (count == 0 || _periods[count - 1].closed) return ("There is no open period to surrender for", label);
        Period storage period = _periods[count - 1];
        if (block.timestamp > period.surrenderDeadline) failure = SURRENDER_OVER;
        label = period.label;
    }

    /// @dev Why `verifier` cannot approve or reject `record` now ("" if it can).
    function _verificationFailure(Period storage period, Record storage record, address verifier)
        private
        view
        returns (string memory)
    {
        string memory failure = _openFailure(period);
        if (bytes(failure).length != 0) return failure;
        if (!isVerifier(verifier)) return NOT_ACCREDITED;
        if (record.verifier != verifier || !record.verifierAccepted) return "You are not this customer's verifier";
        if (_isVerified(record.reportState)) return "This report has already been verified";
        if (record.reportState != ReportState.Submitted) return "There is no report awaiting verification";
        return "";
    }

    function _checkReason(string calldata reason) private pure {
        uint256 length = bytes(reason).length;
        if (length == 0 || length > MAX_REASON) revert ComplianceInvalidReason(length);
    }

    function _isVerified(ReportState state) private pure returns (bool) {
        return state == ReportState.Verified || state == ReportState.Corrected;
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return limit < remaining ? limit : remaining;
    }
}
