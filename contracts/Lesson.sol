// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Carbon} from "./Carbon.sol";
import {Compliance} from "./Compliance.sol";

/// @title Lesson
/// @notice The economics of cap-and-trade for a class: the regulator gives registered customers a firm
/// each (a baseline of emissions per round and an abatement schedule: blocks of tonnes at a cost per
/// tonne, cheapest first), and marks compliance periods as the lesson's rounds, each with the cut it
/// asks of the class. In a round a firm abates by paying its schedule's cost in ether (abate); its
/// emissions are its baseline less what it abated.
///
/// The round's compliance is the market's own cycle, with the lesson as its verifier: the regulator
/// accredits this contract, a firm reports its emissions and appoints it, and anyone may then ask the
/// lesson to verify (verify), which approves the report when it is the figure the chain recorded and
/// rejects it, saying the figure, when not. So the thesis's report-and-verify steps still apply, the
/// emissions cannot be misreported, and a firm that does not report ends C and is enforced as any
/// account is. The penalty stays the compliance module's record (the period's rate, in wei per
/// tonne, for a round): the lesson's results count it against the firm's score, rather than take
/// ether the firm may not have.
///
/// Everything here is public on the chain, the schedules included: a student can read a rival's
/// costs. The thesis praises the chain's transparency; this is its price, and the lesson says so.
///
/// @dev O(1) in the number of firms and rounds: firms, schedules and abatement are mappings; a
/// schedule is at most MAX_BLOCKS blocks, and abate walks only the blocks it buys from. Abatement's
/// ether stays in this contract: it is spent (the cost of cutting emissions), owed to nobody, so no
/// payment leaves and no receiving code is ever called. Calls that carry ether revert on every
/// refusal (custom errors), so that ether never stays behind a failed outcome; the rest follow the
/// market's outcome events `(sender, isSuccess, message)`.
contract Lesson {
    /// @dev One slot: tonnes below 2^64, a cost per tonne below 2^128 wei.
    struct Block {
        uint64 tonnes;
        uint128 costPerTonne;
    }

    /// @dev One slot. `number` is 1-based (0: not a firm).
    struct Firm {
        uint64 baseline;
        uint64 abatable;
        uint8 blockCount;
        uint32 number;
    }

    /// @dev A firm's round, one slot: what it abated and paid.
    struct FirmRound {
        uint64 abated;
        uint128 paid;
        bool verified;
    }

    /// @dev A round's totals, one slot each: the cut asked of the class (1-based marking: a round has
    /// a cut of at least 1 tonne), what the class abated and paid.
    struct Round {
        uint64 cut;
        uint64 abated;
        uint128 paid;
    }

    /// @notice A firm as the views return it.
    struct FirmView {
        uint256 number;
        uint256 baseline;
        uint256 abatable;
        uint256[] tonnes;
        uint256[] costs;
    }

    uint256 public constant MAX_BLOCKS = 8;

    Carbon public immutable market;
    Compliance public immutable compliance;

    mapping(address firm => Firm) private _firms;
    mapping(address firm => mapping(uint256 index => Block)) private _blocks;
    mapping(uint256 periodId => mapping(address firm => FirmRound)) private _firmRounds;
    mapping(uint256 periodId => Round) private _rounds;
    address[] private _firmList;
    uint256 private _totalBaseline;
    uint256 private _spent;

    error LessonUnauthorizedRegulator(address caller);
    error LessonNotCustomer(address account);
    error LessonNotFirm(address account);
    /// @notice A schedule is 1 to MAX_BLOCKS blocks, each of at least a tonne at a cost of at least a
    /// wei, cheapest first (costs may repeat), abating no more than the baseline.
    error LessonInvalidSchedule();
    error LessonInvalidBaseline(uint256 baseline);
    error LessonZeroTonnes();
    /// @notice There is no open round to abate in (the latest period is closed or not a round).
    error LessonNoOpenRound();
    /// @notice Abatement counts toward a round's report, so it ends with the reporting deadline.
    error LessonReportingOver(uint256 deadline);
    /// @notice The firm's emissions for this round are verified: they can no longer change.
    error LessonAlreadyVerified(uint256 periodId);
    /// @notice The schedule holds only `left` more tonnes.
    error LessonBeyondSchedule(uint256 tonnes, uint256 left);
    /// @notice Abating costs exactly `cost`; `sent` was sent.
    error LessonWrongPayment(uint256 cost, uint256 sent);
    /// @notice A round's cut is 1 tonne to the whole baseline.
    error LessonInvalidCut(uint256 cut, uint256 totalBaseline);
    error LessonUnknownPeriod(uint256 periodId);

    event AddFirm(address sender, bool isSuccess, string message);
    event MarkRound(address sender, bool isSuccess, string message);
    event Abate(address sender, bool isSuccess, string message);
    event Verify(address sender, bool isSuccess, string message);

    event FirmAdded(address indexed firm, uint256 baseline, uint256[] tonnes, uint256[] costs);
    event RoundMarked(uint256 indexed periodId, uint256 cut);
    event Abated(uint256 indexed periodId, address indexed firm, uint256 tonnes, uint256 cost, uint256 emissions);

    constructor(Carbon market_) {
        market = market_;
        compliance = Compliance(address(market_.compliance()));
    }

    modifier onlyRegulator() {
        if (msg.sender != market.regulator()) revert LessonUnauthorizedRegulator(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- setup

    /// @notice The regulator gives customer `firm` its firm: `baseline` tonnes of emissions per round,
    /// and its abatement schedule, `tonnes[i]` at `costs[i]` wei per tonne, cheapest first.
    /// @dev Requires the regulator, a registered customer, a valid schedule (LessonInvalidSchedule).
    /// Emits AddFirm: "Firm added" / "This account is a firm already"; and FirmAdded with the schedule.
    function addFirm(address firm, uint256 baseline, uint256[] calldata tonnes, uint256[] calldata costs)
        external
        onlyRegulator
    {
        if (!market.customerRegistry().isRegistered(firm)) revert LessonNotCustomer(firm);
        if (baseline == 0 || baseline > type(uint64).max) revert LessonInvalidBaseline(baseline);
        uint256 count = tonnes.length;
        if (count == 0 || count > MAX_BLOCKS || costs.length != count) revert LessonInvalidSchedule();
        uint256 abatable;
        for (uint256 i = 0; i < count; i++) {
            if (tonnes[i] == 0 || costs[i] == 0 || costs[i] > type(uint128).max) revert LessonInvalidSchedule();
            if (i > 0 && costs[i] < costs[i - 1]) revert LessonInvalidSchedule();
            abatable += tonnes[i];
        }
        if (abatable > baseline) revert LessonInvalidSchedule();

        bool ok = _firms[firm].number == 0;
        if (ok) {
            for (uint256 i = 0; i < count; i++) {
                _blocks[firm][i] = Block({tonnes: uint64(tonnes[i]), costPerTonne: uint128(costs[i])});
            }
            _firmList.push(firm);
            _firms[firm] = Firm({
                baseline: uint64(baseline),
                abatable: uint64(abatable),
                blockCount: uint8(count),
                number: uint32(_firmList.length)
            });
            _totalBaseline += baseline;
            emit FirmAdded(firm, baseline, tonnes, costs);
        }
        emit AddFirm(msg.sender, ok, ok ? "Firm added" : "This account is a firm already");
    }

    /// @notice The regulator marks compliance period `periodId` as a round of the lesson that asks the
    /// class to cut `cut` tonnes below its total baseline (the period's cap is the rest, in quota
    /// issued free or sold at auction). A round's cut can be set while the period is open.
    /// @dev Requires the regulator, a known period, 1 <= cut <= the total baseline. Emits MarkRound:
    /// "Round marked" / "This period is closed".
    function markRound(uint256 periodId, uint256 cut) external onlyRegulator {
        if (periodId >= compliance.periodCount()) revert LessonUnknownPeriod(periodId);
        if (cut == 0 || cut > _totalBaseline) revert LessonInvalidCut(cut, _totalBaseline);
        bool ok = !compliance.getPeriod(periodId).closed;
        if (ok) {
            _rounds[periodId].cut = uint64(cut);
            emit RoundMarked(periodId, cut);
        }
        emit MarkRound(msg.sender, ok, ok ? "Round marked" : "This period is closed");
    }

    // ---------------------------------------------------------------- abatement

    /// @notice The sender's firm abates `tonnes` in the open round, cheapest blocks of its schedule
    /// first, paying exactly their cost (abatementCost) with the call.
    /// @dev Requires a firm, an open round before its reporting deadline, emissions not yet verified,
    /// tonnes within what the schedule has left, and the exact cost: reverts otherwise (the call
    /// carries ether). Walks at most MAX_BLOCKS blocks. Emits Abate "Emissions abated", and Abated.
    function abate(uint256 tonnes) external payable {
        Firm memory firm = _firms[msg.sender];
        if (firm.number == 0) revert LessonNotFirm(msg.sender);
        if (tonnes == 0) revert LessonZeroTonnes();
        uint256 periodId = _openRound();
        FirmRound memory round = _firmRounds[periodId][msg.sender];
        if (round.verified) revert LessonAlreadyVerified(periodId);
        uint256 left = firm.abatable - round.abated;
        if (tonnes > left) revert LessonBeyondSchedule(tonnes, left);
        uint256 cost = _cost(msg.sender, firm.blockCount, round.abated, tonnes);
        if (msg.value != cost) revert LessonWrongPayment(cost, msg.value);

        uint256 abated = round.abated + tonnes;
        _firmRounds[periodId][msg.sender] =
            FirmRound({abated: uint64(abated), paid: uint128(round.paid + cost), verified: false});
        Round storage totals = _rounds[periodId];
        (totals.abated, totals.paid) = (uint64(totals.abated + tonnes), uint128(totals.paid + cost));
        _spent += cost;
        emit Abated(periodId, msg.sender, tonnes, cost, firm.baseline - abated);
        emit Abate(msg.sender, true, "Emissions abated");
    }

    /// @notice What abating `tonnes` more costs `firm` in round `periodId`, after what it abated there.
    function abatementCost(address firm, uint256 periodId, uint256 tonnes) external view returns (uint256) {
        Firm memory entry = _firms[firm];
        if (entry.number == 0) revert LessonNotFirm(firm);
        uint256 abated = _firmRounds[periodId][firm].abated;
        if (tonnes > entry.abatable - abated) revert LessonBeyondSchedule(tonnes, entry.abatable - abated);
        return _cost(firm, entry.blockCount, abated, tonnes);
    }

    // ---------------------------------------------------------------- verification

    /// @notice Verifies `firm`'s report for round `periodId` as its appointed verifier: accepts the
    /// appointment, then approves the report if it is the firm's emissions on the chain (its baseline
    /// less what it abated), or rejects it with the figure. Anyone may ask: the answer is the chain's.
    /// @dev The firm must have reported and appointed this contract; the compliance module's own
    /// rules and outcome events apply (a closed period, a passed deadline, no report). Emits Verify:
    /// "Report approved" / "The report is not the firm's emissions: N t" / the module's refusal.
    function verify(address firm, uint256 periodId) external {
        Firm memory entry = _firms[firm];
        if (entry.number == 0) revert LessonNotFirm(firm);
        if (_rounds[periodId].cut == 0) revert LessonNoOpenRound();
        Compliance.RecordView memory record = compliance.getRecord(firm, periodId);
        uint256 emissions = entry.baseline - _firmRounds[periodId][firm].abated;
        string memory message = "There is no report awaiting verification";
        if (record.reportState == Compliance.ReportState.Submitted) {
            if (record.verifier == address(this) && !record.verifierAccepted) {
                compliance.acceptAppointment(address(this), firm, periodId);
            }
            if (record.reported == emissions) compliance.approveReport(address(this), firm, periodId);
            else compliance.rejectReport(address(this), firm, periodId, _mismatch(emissions));
            // The module may refuse either (another verifier appointed, a deadline passed): its record says.
            Compliance.ReportState state = compliance.getRecord(firm, periodId).reportState;
            if (state == Compliance.ReportState.Verified) message = "";
            else if (state == Compliance.ReportState.Rejected) message = _mismatch(emissions);
            else message = "The report could not be verified: see the compliance record";
        }
        bool ok = bytes(message).length == 0;
        if (ok) {
            _firmRounds[periodId][firm].verified = true;
            message = "Report approved";
        }
        emit Verify(msg.sender, ok, message);
    }

    // ---------------------------------------------------------------- views

    function firmCount() external view returns (uint256) {
        return _firmList.length;
    }

    /// @notice Up to `limit` firms from `offset` on, in the order they were added.
    function firms(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 total = _firmList.length;
        uint256 length = offset >= total ? 0 : (limit < total - offset ? limit : total - offset);
        page = new address[](length);
        for (uint256 i = 0; i < length; i++) page[i] = _firmList[offset + i];
    }

    function isFirm(address account) external view returns (bool) {
        return _firms[account].number != 0;
    }

    /// @notice A firm's baseline and schedule (number 0 and empty arrays: not a firm).
    function getFirm(address firm) external view returns (FirmView memory view_) {
        Firm memory entry = _firms[firm];
        view_.number = entry.number;
        view_.baseline = entry.baseline;
        view_.abatable = entry.abatable;
        view_.tonnes = new uint256[](entry.blockCount);
        view_.costs = new uint256[](entry.blockCount);
        for (uint256 i = 0; i < entry.blockCount; i++) {
            Block memory block_ = _blocks[firm][i];
            (view_.tonnes[i], view_.costs[i]) = (block_.tonnes, block_.costPerTonne);
        }
    }

    /// @notice What `firm` abated and paid in round `periodId`, its emissions there, and whether they are verified.
    function firmRound(address firm, uint256 periodId)
        external
        view
        returns (uint256 abated, uint256 paid, uint256 emissions, bool verified)
    {
        FirmRound memory round = _firmRounds[periodId][firm];
        uint256 baseline = _firms[firm].baseline;
        return (round.abated, round.paid, baseline - round.abated, round.verified);
    }

    /// @notice The firm's emissions in round `periodId`: its baseline less what it abated there.
    function emissionsOf(address firm, uint256 periodId) external view returns (uint256) {
        return _firms[firm].baseline - _firmRounds[periodId][firm].abated;
    }

    /// @notice Round `periodId`'s cut (0: not a round), and what the class abated and paid in it.
    function getRound(uint256 periodId) external view returns (uint256 cut, uint256 abated, uint256 paid) {
        Round memory round = _rounds[periodId];
        return (round.cut, round.abated, round.paid);
    }

    function totalBaseline() external view returns (uint256) {
        return _totalBaseline;
    }

    /// @notice Ether paid for abatement over the lesson: this contract's whole balance.
    function spent() external view returns (uint256) {
        return _spent;
    }

    // ---------------------------------------------------------------- internal

    /// @dev The open round: the latest period, if it is open, a round, and before its reporting deadline.
    function _openRound() private view returns (uint256 periodId) {
        bool isOpen;
        (isOpen, periodId) = compliance.currentPeriod();
        if (!isOpen || _rounds[periodId].cut == 0) revert LessonNoOpenRound();
        uint256 deadline = compliance.getPeriod(periodId).reportingDeadline;
        if (block.timestamp > deadline) revert LessonReportingOver(deadline);
    }

    /// @dev The cost of `tonnes` more, cheapest first, after `abated`: skips the blocks used up, then
    /// buys from each in turn. At most MAX_BLOCKS iterations.
    function _cost(address firm, uint256 blockCount, uint256 abated, uint256 tonnes) private view returns (uint256 cost) {
        uint256 skip = abated;
        for (uint256 i = 0; i < blockCount && tonnes != 0; i++) {
            Block memory block_ = _blocks[firm][i];
            uint256 available = block_.tonnes;
            if (skip >= available) {
                skip -= available;
                continue;
            }
            available -= skip;
            skip = 0;
            uint256 take = tonnes < available ? tonnes : available;
            cost += take * block_.costPerTonne;
            tonnes -= take;
        }
    }

    function _mismatch(uint256 emissions) private pure returns (string memory) {
        return string.concat("The report is not the firm's emissions: ", _decimal(emissions), " t");
    }

    function _decimal(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 v = value; v != 0; v /= 10) digits++;
        bytes memory text = new bytes(digits);
        for (; value != 0; value /= 10) text[--digits] = bytes1(uint8(48 + (value % 10)));
        return string(text);
    }
}
