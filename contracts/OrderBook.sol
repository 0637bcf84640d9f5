// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry, RegistryStatus} from "./AccountRegistry.sol";
import {Carbon} from "./Carbon.sol";
import {Operation} from "./Operation.sol";
import {TickBitmap} from "./TickBitmap.sol";

/// @title OrderBook
/// @notice Matchmaking beside the thesis's lot shop: registered customers place bids (ether
/// escrowed) and asks (quota escrowed) for whole units of quota at a limit price per unit; an incoming
/// order trades at once with the best resting orders of the other side, in price-time priority, at the
/// resting order's price, and its rest waits in the book until filled, cancelled or expired. The
/// regulator sets a daily price band and can halt and resume trading. Ether owed to anybody but the
/// caller is credited, and its owner withdraws it.
/// @dev The design, and why:
/// - Prices are whole ticks of TICK wei (0.0001 ether) from 1 to 65,535 ticks (6.5535 ether a unit),
///   so the occupied price levels of a side fit a TickBitmap: finding the best level, or the next
///   one, reads at most three words whatever the book holds, so placing, cancelling and each fill
///   cost the same at 1 and at 1,000 resting orders. A sorted linked list of levels (maker-otc)
///   would need an insertion hint from the caller to stay O(1); a bitmap needs none.
/// - Each level is a FIFO queue of orders (a doubly linked list of order IDs, head = oldest) in one
///   slot with its open quantity and order count: time priority within a price, and O(1) cancel from
///   the middle. Popping the head does not rewrite the next order's `prev` (a head is recognised by
///   the level's `head`, not by its own `prev`), which saves a write per fill.
/// - An order is two slots (owner, expiry, tick, side; quantity, filled, links, status) kept after it
///   closes, so `order(id)` and `ordersOf` show history; every order, even one filled at once, gets
///   an ID, which the Trade events name.
/// - A call fills at most `maxMatches` resting orders, and beside them removes at most MAX_PRUNES
///   that cannot trade (expired, a frozen owner's, the caller's own), so its gas is bounded by the
///   caller: base + k x per-fill + MAX_PRUNES x per-removal (cli/chain/gas.ts). Removals have their
///   own budget so that dust orders left to expire cannot use up an honest taker's fills; each costs
///   the remover far less gas than its placing cost the griefer, and `pruneLevel` lets anybody sweep
///   a level. An incoming order that would still cross the book when a budget runs out does not rest
///   (the book is never crossed after a call): its rest is returned, and the outcome message says so.
/// - Payments cannot re-enter or block the book, on any chain: accounts may have code (contracts,
///   multisigs, EIP-7702 delegations), so `msg.sender == tx.origin` proves nothing and is not asked.
///   Ether owed to anybody but the caller (a filled ask's proceeds, the escrow of another's bid
///   removed on the way) is credited to `withdrawable` and taken by `withdraw`: no call to a third
///   party ever happens inside a match. The caller's own ether (its change, its proceeds, its own
///   orders' escrow) is paid to it once, last, after every write; one lock covers every function
///   that changes the book, so that payment cannot re-enter, and if the caller refuses it only the
///   caller's own call fails. The contract's balance is the open bids' escrow plus the credits.
/// - No rest below MIN_QUANTITY stays in the book, the incoming order's or a partly filled resting
///   one's: it is returned to its owner (a resting order of dust would cost every taker a fill).
/// - Frozen owners: a frozen account cannot place orders, and a resting order whose owner is frozen
///   is never filled: the call that meets it removes it and returns its escrow to its owner (quota by
///   registry.release, which ignores the freeze; ether credited: it is the owner's own deposit), and
///   records CancelOrder "Order cancelled: its owner is frozen".
/// - Self-trade prevention (cancel the resting order, as exchanges' "cancel oldest" does): an incoming
///   order that meets its owner's resting order cancels that resting order, escrow returned, and goes
///   on matching behind it.
/// - The band applies to the limit price of new orders: resting orders keep trading at their own price
///   (they were in the band of the day they were placed). Its centre, the reference, is set by the
///   regulator with the band, so a band is in force from the first day; at each UTC day's end the
///   day's most-traded price (the price with the most volume, as a volume-weighted median would not
///   need: a mode cannot be moved by a few units at an extreme price) becomes the reference, if the
///   day traded at least REFERENCE_MIN_VOLUME units. Colluders who want to move it must trade more
///   units at one price than the honest market trades at any. The band is rounded outward and
///   always allows one tick each side of the reference, so it never pins the price.
/// - Escrow is counted in two slots (ether, quota; the credits) written once per call:
///   escrowedEther() is the open bids' escrow, withdrawableEther() the credits, and their sum the
///   contract's balance. Ether forced in without a call (selfdestruct, coinbase) would show above it.
contract OrderBook {
    using TickBitmap for TickBitmap.Map;

    /// @notice Open until filled, cancelled (by its owner, for a frozen owner or a self-trade, or
    /// when its rest cannot stay in the book) or expired. `None` for an ID never used.
    enum OrderStatus {
        None,
        Open,
        Filled,
        Cancelled,
        Expired
    }

    /// @notice An order as the views return it; prices in wei per unit, quantities in units.
    struct OrderView {
        uint256 id;
        address owner;
        bool isBid;
        uint256 price;
        uint256 quantity;
        uint256 filled;
        uint256 expiry;
        OrderStatus status;
    }

    /// @notice One price level of the book: its price, the quantity still open there, and how many orders.
    struct LevelView {
        uint256 price;
        uint256 quantity;
        uint256 orders;
    }

    /// @dev Two slots: the first is written once (placing), the second on each fill, cancel and expiry.
    struct Order {
        address owner;
        uint40 expiry;
        uint16 tick;
        bool isBid;
        uint64 quantity;
        uint64 filled;
        uint48 prev;
        uint48 next;
        OrderStatus status;
    }

    /// @dev One slot: a FIFO queue of order IDs at one price, its open quantity and order count.
    struct Level {
        uint48 head;
        uint48 tail;
        uint128 quantity;
        uint32 count;
    }

    /// @dev One slot, read once and written once per call.
    struct State {
        uint48 lastOrderId;
        uint16 lastTick; // the last trade's price
        uint40 lastTradeTime;
        uint16 referenceTick; // the band's centre as of the start of `Day.day`; 0: none yet
        uint16 bandBps; // 0: no band
        bool halted;
    }

    /// @dev One slot: the running figures of the last day with trades (or a band set).
    struct Day {
        uint32 day; // block.timestamp / 1 days
        uint16 leadingTick; // the price with the most volume that day (the first to reach it on a tie)
        uint104 leadingVolume;
        uint104 volume;
    }

    /// @dev Two slots, read once and written once per call.
    struct Escrow {
        uint128 ether_; // open bids'
        uint128 carbon; // open asks'
        uint256 credited; // ether credited to owners and not yet withdrawn
    }

    /// @dev The incoming order's running totals while it meets the book (memory: no stack pressure).
    struct Taker {
        uint256 id;
        bool isBid;
        uint256 limit; // tick
        uint256 quantity; // as placed
        uint256 expiry; // as stored (NEVER for 0)
        uint256 remaining;
        uint256 matchesLeft; // fills
        uint256 prunesLeft; // removals of orders that cannot trade
        uint256 traded; // quantity traded
        uint256 value; // ether exchanged, at the resting orders' prices
        uint256 refund; // ether of the taker's own resting bids cancelled by self-trade prevention
        bool rests; // its rest stays in the book
        bool crossed; // a budget ran out while it still crossed the book: its rest is returned
        bool dust; // its rest is below MIN_QUANTITY: returned
        bool outOfRemovals; // it met an order to remove with its removals spent: it stops there
    }

    /// @notice The price step, in wei per unit of quota (0.0001 ether).
    uint256 public constant TICK = 1e14;
    /// @notice The highest price: 65,535 ticks (6.5535 ether a unit).
    uint256 public constant MAX_PRICE = 65_535 * TICK;
    /// @notice The smallest order, in units: a resting order costs every taker a fill's gas, so dust
    /// is refused, and a partly filled order's rest below it is returned rather than left resting.
    uint256 public constant MIN_QUANTITY = 10;
    /// @notice The largest order, in units (the order's packed storage).
    uint256 public constant MAX_QUANTITY = type(uint64).max;
    /// @notice The most resting orders one call may fill: the caller's gas limit grows with it.
    uint256 public constant MAX_MATCHES = 100;
    /// @notice The most orders that cannot trade (expired, a frozen owner's, the caller's own) one
    /// call may remove, beside its fills; also the most one pruneLevel call may look at. Twice the
    /// CLI's default fills: with them, a place call stays under the class chain's 2 M gas a call.
    uint256 public constant MAX_PRUNES = 20;
    /// @notice The units a day must trade for its most-traded price to become the next reference.
    uint256 public constant REFERENCE_MIN_VOLUME = 100;
    /// @notice The widest band, in basis points (±100%).
    uint256 public constant MAX_BAND_BPS = 10_000;
    /// @notice The expiry an order never reaches (what expiry 0, good till cancelled, is stored as).
    uint256 public constant NEVER = type(uint40).max;

    uint256 private constant ASK = 0;
    uint256 private constant BID = 1;

    string private constant FROZEN = "This account is frozen";
    uint256 private constant UNLOCKED = 1;
    uint256 private constant LOCKED = 2;

    /// @notice The market this book belongs to; its regulator is the book's regulator.
    Carbon public immutable market;
    AccountRegistry private immutable _customers;

    uint256 private _lock = UNLOCKED;
    State private _state;
    Day private _day;
    Escrow private _escrow;
    mapping(address account => uint256 amount) private _credits;
    mapping(uint256 dayAndTick => uint256 volume) private _volumeAt; // day << 16 | tick
    mapping(uint256 id => Order) private _orders;
    mapping(address account => uint48[] ids) private _ordersOf;
    mapping(uint256 sideAndTick => Level) private _levels; // side << 16 | tick
    mapping(uint256 side => TickBitmap.Map) private _ticks; // the occupied price levels of each side

    /// @notice `account` is not a registered customer: only customers trade.
    error OrderBookNotCustomer(address account);
    /// @notice A call into the book while one of its functions is running (from a payment's receiver).
    error OrderBookReentrantCall();
    /// @notice A price must be a whole number of ticks (TICK wei) from 1 tick to MAX_PRICE.
    error OrderBookInvalidPrice(uint256 price);
    error OrderBookQuantityTooSmall(uint256 quantity, uint256 minimum);
    error OrderBookQuantityTooLarge(uint256 quantity, uint256 maximum);
    /// @notice A bid must send exactly quantity x price.
    error OrderBookWrongValue(uint256 sent, uint256 required);
    /// @notice An expiry must fit 40 bits (0 means good till cancelled).
    error OrderBookInvalidExpiry(uint256 expiry);
    error OrderBookTooManyMatches(uint256 maxMatches, uint256 maximum);
    error OrderBookTooManyPrunes(uint256 maxOrders, uint256 maximum);
    error OrderBookUnknownOrder(uint256 id);
    /// @notice Only an order's owner may cancel it.
    error OrderBookUnauthorizedAccount(address caller, address owner);
    error OrderBookUnauthorizedRegulator(address caller);
    error OrderBookInvalidBand(uint256 bps, uint256 maximum);
    /// @notice A band needs a reference price: the first is the regulator's.
    error OrderBookNoReference();
    /// @notice Crediting the buyer would overflow its balance (2^96-1): never in practice.
    error OrderBookBalanceOverflow(address account);
    /// @notice The caller refused its own ether (its call is undone; nobody else's is affected).
    error OrderBookPaymentFailed(address account, uint256 amount);

    event PlaceBid(address sender, bool isSuccess, string message);
    event PlaceAsk(address sender, bool isSuccess, string message);
    event CancelOrder(address sender, bool isSuccess, string message);
    event ExpireOrder(address sender, bool isSuccess, string message);
    event SetPriceBand(address sender, bool isSuccess, string message);
    event HaltTrading(address sender, bool isSuccess, string message);
    event ResumeTrading(address sender, bool isSuccess, string message);
    event Withdraw(address sender, bool isSuccess, string message);
    event PruneLevel(address sender, bool isSuccess, string message);

    /// @notice A new order, once it has met the book: `quantity` as placed, `filled` at once.
    event OrderPlaced(
        uint256 indexed id, address indexed owner, bool isBid, uint256 price, uint256 quantity, uint256 filled, uint256 expiry
    );
    /// @notice One fill, at the resting order's price (wei per unit).
    event Trade(
        address indexed buyer, address indexed seller, uint256 price, uint256 quantity, uint256 bidId, uint256 askId
    );
    /// @notice As Carbon's: one per state change. Order operations carry the order ID as `carbonId`
    /// (bytes32 of the number) and the quantity as `amount`; a Trade is the buyer's, with the seller
    /// as counterparty and the resting order's ID.
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
        if (msg.sender != market.regulator()) revert OrderBookUnauthorizedRegulator(msg.sender);
        _;
    }

    /// @dev OpenZeppelin's ReentrancyGuard in storage (Ganache runs Shanghai: no transient storage).
    modifier nonReentrant() {
        if (_lock != UNLOCKED) revert OrderBookReentrantCall();
        _lock = LOCKED;
        _;
        _lock = UNLOCKED;
    }

    // ---------------------------------------------------------------- orders

    /// @notice The market's regulator (Carbon.regulator, read there, so a handover on Carbon moves the
    /// book too), who sets the band and halts trading.
    function regulator() public view returns (address) {
        return market.regulator();
    }

    /// @notice Bids for `quantity` units at up to `price` wei a unit, sending quantity x price as escrow.
    /// It trades at once with the cheapest asks (at their prices; the difference is refunded), meeting
    /// at most `maxMatches` of them; the rest rests until `expiry` (unix seconds; 0: good till
    /// cancelled; a time already past: fill what it can now, rest nothing). Its change and any
    /// unfilled rest come back in this call; the sellers it pays are credited (see withdraw).
    /// @dev Requires a registered customer, a price of whole ticks, a quantity from MIN_QUANTITY,
    /// msg.value == quantity x price, maxMatches <= MAX_MATCHES. Emits Trade and Activity per fill,
    /// ExpireOrder/CancelOrder for resting orders removed on the way, OrderPlaced, then PlaceBid:
    /// "Order placed" / "Order filled" / "Order partly filled; the rest is in the book" / "Order
    /// partly filled; the rest was returned: the match limit was reached" / "The match limit was
    /// reached; the order was returned" / "Order partly filled; the rest, below the minimum order
    /// size, was returned" / "Order partly filled; the rest expired" / "Order expired unfilled"; or,
    /// changing nothing and refunding msg.value: "This account is frozen" / "Trading is halted" /
    /// "The price is outside today's price band".
    /// @return id The order's ID (0 when it failed).
    function placeBid(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches)
        external
        payable
        nonReentrant
        returns (uint256 id)
    {
        uint256 tick = _checkOrder(quantity, price, expiry, maxMatches);
        if (msg.value != quantity * price) revert OrderBookWrongValue(msg.value, quantity * price);
        State memory state = _state;
        Day memory day = _day;
        _rollDay(state, day);
        string memory failure = _refusal(state, tick);
        if (bytes(failure).length != 0) {
            emit PlaceBid(msg.sender, false, failure);
            emit Activity(msg.sender, address(0), Operation.PlaceBid, 0, quantity, false);
            _pay(msg.sender, msg.value); // nothing changes: the deposit goes back
            return 0;
        }
        return _place(state, day, true, tick, quantity, expiry, maxMatches);
    }

    /// @notice Offers `quantity` units of the sender's quota at no less than `price` wei a unit; the
    /// quota is escrowed. It trades at once with the highest bids (at their prices), meeting at most
    /// `maxMatches` of them; the rest rests until `expiry` (as placeBid).
    /// @dev Requirements as placeBid, without ether. Emits as placeBid, with PlaceAsk, whose failures
    /// also include "Insufficient quota for this order".
    /// @return id The order's ID (0 when it failed).
    function placeAsk(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches)
        external
        nonReentrant
        returns (uint256 id)
    {
        uint256 tick = _checkOrder(quantity, price, expiry, maxMatches);
        State memory state = _state;
        Day memory day = _day;
        _rollDay(state, day);
        string memory failure = _refusal(state, tick);
        if (bytes(failure).length == 0) {
            // The escrow: the account was found registered and unfrozen just now.
            if (_customers.debit(msg.sender, quantity) != RegistryStatus.Done) failure = "Insufficient quota for this order";
        }
        if (bytes(failure).length != 0) {
            emit PlaceAsk(msg.sender, false, failure);
            emit Activity(msg.sender, address(0), Operation.PlaceAsk, 0, quantity, false);
            return 0;
        }
        return _place(state, day, false, tick, quantity, expiry, maxMatches);
    }

    /// @notice The owner cancels its open order; its escrow (ether or quota) comes back. Allowed while
    /// trading is halted and while the owner is frozen: the escrow is the owner's own.
    /// @dev Requires the order's owner. Emits CancelOrder: "Order cancelled" / "This order is not open".
    function cancelOrder(uint256 id) external nonReentrant {
        Order storage stored = _orders[id];
        address owner = stored.owner;
        if (owner == address(0)) revert OrderBookUnknownOrder(id);
        if (owner != msg.sender) revert OrderBookUnauthorizedAccount(msg.sender, owner);
        if (stored.status != OrderStatus.Open) {
            emit CancelOrder(msg.sender, false, "This order is not open");
            emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), 0, false);
            return;
        }
        _removeAnywhere(id, stored, OrderStatus.Cancelled, "Order cancelled");
    }

    /// @notice Anybody removes an order past its expiry, returning its escrow to its owner (calls that
    /// meet expired orders do this too; this keeps the book's depth clean without a trade). Ether
    /// comes back to the owner in this call if the owner calls it, and is credited otherwise.
    /// @dev Emits ExpireOrder: "Order expired" / "This order is not open" / "This order has not expired".
    function expireOrder(uint256 id) external nonReentrant {
        Order storage stored = _orders[id];
        address owner = stored.owner;
        if (owner == address(0)) revert OrderBookUnknownOrder(id);
        string memory failure;
        if (stored.status != OrderStatus.Open) failure = "This order is not open";
        else if (stored.expiry > block.timestamp) failure = "This order has not expired";
        if (bytes(failure).length != 0) {
            emit ExpireOrder(msg.sender, false, failure);
            emit Activity(owner, address(0), Operation.ExpireOrder, bytes32(id), 0, false);
            return;
        }
        _removeAnywhere(id, stored, OrderStatus.Expired, "Order expired");
    }

    /// @notice Anybody sweeps one price level: of its first `maxOrders` orders in time priority, those
    /// past their expiry or whose owner is frozen are removed, their escrow returned (quota to the
    /// owner, ether credited to it). A level of dust left to expire costs a taker nothing this way.
    /// @dev Requires a valid price and maxOrders <= MAX_PRUNES. Emits ExpireOrder / CancelOrder per
    /// removal, then PruneLevel: "Orders removed" / "Nothing to remove".
    /// @return removed How many orders were removed.
    function pruneLevel(bool bids, uint256 price, uint256 maxOrders) external nonReentrant returns (uint256 removed) {
        if (price == 0 || price % TICK != 0 || price > MAX_PRICE) revert OrderBookInvalidPrice(price);
        if (maxOrders > MAX_PRUNES) revert OrderBookTooManyPrunes(maxOrders, MAX_PRUNES);
        uint256 id = _levels[_key(bids ? BID : ASK, price / TICK)].head;
        Escrow memory escrow = _escrow;
        uint256 own; // the caller's own ether, paid last
        for (uint256 i = 0; i < maxOrders && id != 0; i++) {
            uint256 next = _orders[id].next;
            (bool done, uint256 returned) = _prune(escrow, id, price);
            if (done) (removed, own) = (removed + 1, own + returned);
            id = next;
        }
        _escrow = escrow;
        bool ok = removed != 0;
        emit PruneLevel(msg.sender, ok, ok ? "Orders removed" : "Nothing to remove");
        emit Activity(msg.sender, address(0), Operation.PruneLevel, bytes32(price), removed, ok);
        _pay(msg.sender, own);
    }

    /// @dev Removes one order of a level if it is past its expiry or its owner is frozen; returns
    /// whether it did, and the ether to pay the caller when the order was its own.
    function _prune(Escrow memory escrow, uint256 id, uint256 price) private returns (bool removed, uint256 own) {
        Order storage stored = _orders[id];
        address owner = stored.owner;
        bool expired = stored.expiry <= block.timestamp;
        if (!expired && !market.isFrozen(owner)) return (false, 0);
        uint256 open = _unlink(id, stored);
        stored.status = expired ? OrderStatus.Expired : OrderStatus.Cancelled;
        own = _returnEscrow(escrow, id, owner, open, price);
        if (expired) emit ExpireOrder(msg.sender, true, "Order expired");
        else emit CancelOrder(msg.sender, true, "Order cancelled: its owner is frozen");
        emit Activity(owner, address(0), expired ? Operation.ExpireOrder : Operation.CancelOrder, bytes32(id), open, true);
        return (true, own);
    }

    /// @notice Pays the caller the ether credited to it: proceeds of its filled asks, and the escrow
    /// of its bids removed by others' calls. Allowed while trading is halted and while frozen: the
    /// ether is the caller's own.
    /// @dev Emits Withdraw: "Ether withdrawn" / "Nothing to withdraw". Reverts
    /// OrderBookPaymentFailed if the caller refuses the ether (the credit stays).
    function withdraw() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        bool ok = amount != 0;
        if (ok) {
            _credits[msg.sender] = 0;
            _escrow.credited -= amount;
        }
        emit Withdraw(msg.sender, ok, ok ? "Ether withdrawn" : "Nothing to withdraw");
        emit Activity(msg.sender, address(0), Operation.Withdraw, 0, amount, ok);
        _pay(msg.sender, amount);
    }

    // ---------------------------------------------------------------- risk control

    /// @notice The regulator sets the daily price band: new orders must be priced within ±`bps` basis
    /// points of the reference price (0: no band), and with it the reference (`referencePrice` wei a
    /// unit; 0 keeps the current one). From the next day on, a day that trades REFERENCE_MIN_VOLUME
    /// units makes its most-traded price the reference.
    /// @dev Requires the regulator, bps <= MAX_BAND_BPS, a reference price of whole ticks, and a
    /// reference (given now or before) for a band. Emits SetPriceBand "Price band set".
    function setPriceBand(uint256 bps, uint256 referencePrice_) external onlyRegulator nonReentrant {
        if (bps > MAX_BAND_BPS) revert OrderBookInvalidBand(bps, MAX_BAND_BPS);
        if (referencePrice_ % TICK != 0 || referencePrice_ > MAX_PRICE) revert OrderBookInvalidPrice(referencePrice_);
        State memory state = _state;
        Day memory day = _day;
        _rollDay(state, day); // a finished day's reference first, so the regulator's replaces it
        if (referencePrice_ != 0) state.referenceTick = uint16(referencePrice_ / TICK);
        if (bps != 0 && state.referenceTick == 0) revert OrderBookNoReference();
        state.bandBps = uint16(bps);
        _state = state;
        _day = day;
        emit SetPriceBand(msg.sender, true, "Price band set");
        emit Activity(msg.sender, address(0), Operation.SetPriceBand, 0, bps, true);
    }

    /// @notice The regulator halts trading: no order can be placed; cancelling still works.
    /// @dev Requires the regulator. Emits HaltTrading "Trading halted" / "Trading is already halted".
    function haltTrading() external onlyRegulator nonReentrant {
        bool ok = !_state.halted;
        if (ok) _state.halted = true;
        emit HaltTrading(msg.sender, ok, ok ? "Trading halted" : "Trading is already halted");
        emit Activity(msg.sender, address(0), Operation.HaltTrading, 0, 0, ok);
    }

    /// @notice The regulator resumes trading.
    /// @dev Requires the regulator. Emits ResumeTrading "Trading resumed" / "Trading is not halted".
    function resumeTrading() external onlyRegulator nonReentrant {
        bool ok = _state.halted;
        if (ok) _state.halted = false;
        emit ResumeTrading(msg.sender, ok, ok ? "Trading resumed" : "Trading is not halted");
        emit Activity(msg.sender, address(0), Operation.ResumeTrading, 0, 0, ok);
    }

    // ---------------------------------------------------------------- views

    /// @notice One order; its owner is the zero address (status None) for an ID never used.
    function order(uint256 id) public view returns (OrderView memory) {
        Order storage stored = _orders[id];
        if (stored.owner == address(0)) return OrderView(0, address(0), false, 0, 0, 0, 0, OrderStatus.None);
        return OrderView({
            id: id,
            owner: stored.owner,
            isBid: stored.isBid,
            price: uint256(stored.tick) * TICK,
            quantity: stored.quantity,
            filled: stored.filled,
            expiry: stored.expiry,
            status: stored.status
        });
    }

    /// @notice How many orders were ever placed (IDs run from 1 to this).
    function orderCount() external view returns (uint256) {
        return _state.lastOrderId;
    }

    /// @notice How many orders `account` ever placed.
    function orderCountOf(address account) external view returns (uint256) {
        return _ordersOf[account].length;
    }

    /// @notice Up to `limit` of `account`'s orders from `offset` on, oldest first, open or not.
    function ordersOf(address account, uint256 offset, uint256 limit) external view returns (OrderView[] memory page) {
        uint48[] storage ids = _ordersOf[account];
        page = new OrderView[](_pageLength(ids.length, offset, limit));
        for (uint256 i = 0; i < page.length; i++) page[i] = order(ids[offset + i]);
    }

    /// @notice Up to `limit` price levels of one side from the `offset`-th best on (bids: highest
    /// first; asks: lowest first). Orders past their expiry count until removed.
    function depth(bool bids, uint256 offset, uint256 limit) external view returns (LevelView[] memory levels) {
        uint256 side = bids ? BID : ASK;
        uint256 tick = _best(side);
        for (uint256 i = 0; i < offset && tick != 0; i++) tick = _nextTick(side, tick);
        levels = new LevelView[](limit);
        uint256 n;
        for (; n < limit && tick != 0; n++) {
            Level storage level = _levels[_key(side, tick)];
            levels[n] = LevelView(tick * TICK, level.quantity, level.count);
            tick = _nextTick(side, tick);
        }
        assembly {
            mstore(levels, n) // shorten to the levels found
        }
    }

    /// @notice Up to `limit` open orders at one price of one side from the `offset`-th on, in time
    /// priority (the next to trade first).
    function ordersAt(bool bids, uint256 price, uint256 offset, uint256 limit) external view returns (OrderView[] memory page) {
        if (price == 0 || price % TICK != 0 || price > MAX_PRICE) revert OrderBookInvalidPrice(price);
        Level storage level = _levels[_key(bids ? BID : ASK, price / TICK)];
        page = new OrderView[](_pageLength(level.count, offset, limit));
        uint256 id = level.head;
        for (uint256 i = 0; i < offset; i++) id = _orders[id].next;
        for (uint256 i = 0; i < page.length; i++) {
            page[i] = order(id);
            id = _orders[id].next;
        }
    }

    /// @notice The highest bid's price and the quantity open there (0, 0 when there is none).
    function bestBid() external view returns (uint256 price, uint256 quantity) {
        return _bestLevel(BID);
    }

    /// @notice The lowest ask's price and the quantity open there (0, 0 when there is none).
    function bestAsk() external view returns (uint256 price, uint256 quantity) {
        return _bestLevel(ASK);
    }

    /// @notice The last trade's price and block time (0, 0 before the first trade).
    function lastPrice() external view returns (uint256 price, uint256 time) {
        State memory state = _state;
        return (uint256(state.lastTick) * TICK, state.lastTradeTime);
    }

    /// @notice Today's reference price, the band's centre: the regulator's, or the most-traded
    /// price of the last day (UTC days of block time) that traded REFERENCE_MIN_VOLUME units since.
    /// 0 when there is none yet.
    function referencePrice() external view returns (uint256) {
        State memory state = _state;
        _rollDay(state, _day);
        return uint256(state.referenceTick) * TICK;
    }

    /// @notice Today's running figures: the UTC day number, the price with the most volume so far
    /// (tomorrow's reference if the day's volume reaches REFERENCE_MIN_VOLUME), its volume, and the
    /// day's volume.
    function tradingDay() external view returns (uint256 day, uint256 leadingPrice, uint256 leadingVolume, uint256 volume) {
        State memory state = _state;
        Day memory current = _day;
        _rollDay(state, current);
        return (current.day, uint256(current.leadingTick) * TICK, current.leadingVolume, current.volume);
    }

    /// @notice Today's band: its width in basis points and the lowest and highest prices an order may
    /// have (low = 0 and high = MAX_PRICE when no band applies).
    function priceBand() external view returns (uint256 bps, uint256 low, uint256 high) {
        State memory state = _state;
        _rollDay(state, _day);
        (uint256 lowTick, uint256 highTick) = _band(state);
        return (state.bandBps, lowTick * TICK, highTick * TICK);
    }

    function halted() external view returns (bool) {
        return _state.halted;
    }

    /// @notice Quota held in escrow by open asks (conservation counts it beside the balances).
    function escrowedCarbonAmount() external view returns (uint256) {
        return _escrow.carbon;
    }

    /// @notice Ether held in escrow by open bids; with withdrawableEther, this contract's balance.
    function escrowedEther() external view returns (uint256) {
        return _escrow.ether_;
    }

    /// @notice Ether credited to `account` and not yet withdrawn.
    function withdrawable(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @notice Ether credited to all accounts and not yet withdrawn.
    function withdrawableEther() external view returns (uint256) {
        return _escrow.credited;
    }

    // ---------------------------------------------------------------- internal: placing

    /// @dev The malformed-call reverts shared by both sides; returns the price in ticks.
    function _checkOrder(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches)
        private
        view
        returns (uint256 tick)
    {
        if (!_customers.isRegistered(msg.sender)) revert OrderBookNotCustomer(msg.sender);
        if (price == 0 || price % TICK != 0 || price > MAX_PRICE) revert OrderBookInvalidPrice(price);
        if (quantity < MIN_QUANTITY) revert OrderBookQuantityTooSmall(quantity, MIN_QUANTITY);
        if (quantity > MAX_QUANTITY) revert OrderBookQuantityTooLarge(quantity, MAX_QUANTITY);
        if (expiry > NEVER) revert OrderBookInvalidExpiry(expiry);
        if (maxMatches > MAX_MATCHES) revert OrderBookTooManyMatches(maxMatches, MAX_MATCHES);
        return price / TICK;
    }

    /// @dev The business refusals shared by both sides, the freeze first of all; "" when none.
    /// `state` and `day` come rolled to today.
    function _refusal(State memory state, uint256 tick) private view returns (string memory) {
        if (market.isFrozen(msg.sender)) return FROZEN;
        if (state.halted) return "Trading is halted";
        (uint256 low, uint256 high) = _band(state);
        if (tick < low || tick > high) return "The price is outside today's price band";
        return "";
    }

    /// @dev The accepted order meets the book, then rests or returns its rest; the state, day and
    /// escrow slots are written once, before the one payment, to the taker, last.
    function _place(
        State memory state,
        Day memory day,
        bool isBid,
        uint256 tick,
        uint256 quantity,
        uint256 expiry,
        uint256 maxMatches
    ) private returns (uint256 id) {
        id = ++state.lastOrderId;
        Escrow memory escrow = _escrow;
        Taker memory taker = Taker({
            id: id,
            isBid: isBid,
            limit: tick,
            quantity: quantity,
            expiry: expiry == 0 ? NEVER : expiry,
            remaining: quantity,
            matchesLeft: maxMatches,
            prunesLeft: MAX_PRUNES,
            traded: 0,
            value: 0,
            refund: 0,
            rests: false,
            crossed: false,
            dust: false,
            outOfRemovals: false
        });
        _match(state, day, escrow, taker);
        taker.dust = taker.remaining != 0 && taker.remaining < MIN_QUANTITY;
        taker.crossed = !taker.dust && _crosses(taker);
        taker.rests = taker.remaining != 0 && !taker.dust && !taker.crossed && taker.expiry > block.timestamp;
        _store(taker);
        _state = state;
        _day = day;
        uint256 payment = _settle(taker, escrow);
        _emitPlaced(taker);
        _pay(msg.sender, payment);
    }

    /// @dev Records the incoming order (resting or not: every order has an ID and a history).
    function _store(Taker memory taker) private {
        OrderStatus status = taker.remaining == 0 ? OrderStatus.Filled : taker.rests ? OrderStatus.Open : taker.crossed
            || taker.dust ? OrderStatus.Cancelled : OrderStatus.Expired;
        uint48 prev = taker.rests ? _append(taker.id, taker.isBid ? BID : ASK, taker.limit, taker.remaining) : 0;
        _orders[taker.id] = Order({
            owner: msg.sender,
            expiry: uint40(taker.expiry),
            tick: uint16(taker.limit),
            isBid: taker.isBid,
            quantity: uint64(taker.quantity),
            filled: uint64(taker.traded),
            prev: prev,
            next: 0,
            status: status
        });
        _ordersOf[msg.sender].push(uint48(taker.id));
    }

    /// @dev Settles the taker's side once: quota to a buyer (or back to a seller); returns the ether
    /// the taker gets back (a bidder's unspent deposit, a seller's proceeds), paid by the caller last.
    function _settle(Taker memory taker, Escrow memory escrow) private returns (uint256 payment) {
        if (taker.isBid) {
            if (taker.traded != 0 && _customers.credit(msg.sender, taker.traded) != RegistryStatus.Done) {
                revert OrderBookBalanceOverflow(msg.sender);
            }
            uint256 kept = taker.rests ? taker.remaining * taker.limit * TICK : 0;
            escrow.ether_ += uint128(kept);
            payment = msg.value - taker.value - kept + taker.refund;
        } else {
            if (taker.rests) escrow.carbon += uint128(taker.remaining);
            else if (taker.remaining != 0 && _customers.release(msg.sender, taker.remaining) != RegistryStatus.Done) {
                revert OrderBookBalanceOverflow(msg.sender);
            }
            payment = taker.value + taker.refund;
        }
        _escrow = escrow;
    }

    function _emitPlaced(Taker memory taker) private {
        emit OrderPlaced(
            taker.id, msg.sender, taker.isBid, taker.limit * TICK, taker.quantity, taker.traded, taker.expiry
        );
        string memory message = _placedMessage(taker);
        if (taker.isBid) emit PlaceBid(msg.sender, true, message);
        else emit PlaceAsk(msg.sender, true, message);
        Operation operation = taker.isBid ? Operation.PlaceBid : Operation.PlaceAsk;
        emit Activity(msg.sender, address(0), operation, bytes32(taker.id), taker.quantity, true);
    }

    function _placedMessage(Taker memory taker) private pure returns (string memory) {
        if (taker.remaining == 0) return "Order filled";
        bool partly = taker.traded != 0;
        if (taker.rests) return partly ? "Order partly filled; the rest is in the book" : "Order placed";
        if (taker.dust) return "Order partly filled; the rest, below the minimum order size, was returned";
        if (taker.crossed) {
            return partly
                ? "Order partly filled; the rest was returned: the match limit was reached"
                : "The match limit was reached; the order was returned";
        }
        return partly ? "Order partly filled; the rest expired" : "Order expired unfilled";
    }

    /// @dev Whether the taker's rest would cross the other side's best level (its matches ran out).
    function _crosses(Taker memory taker) private view returns (bool) {
        if (taker.remaining == 0) return false;
        uint256 best = _best(taker.isBid ? ASK : BID);
        if (best == 0) return false;
        return taker.isBid ? best <= taker.limit : best >= taker.limit;
    }

    // ---------------------------------------------------------------- internal: matching

    /// @dev Meets the other side's levels from the best while the taker has quantity and budget left
    /// and the level's price satisfies its limit. Each level is read once into memory and written
    /// once, and its traded volume counted once.
    function _match(State memory state, Day memory day, Escrow memory escrow, Taker memory taker) private {
        uint256 side = taker.isBid ? ASK : BID;
        uint256 tick = _best(side);
        while (tick != 0 && taker.remaining != 0 && taker.matchesLeft != 0 && !taker.outOfRemovals) {
            if (taker.isBid ? tick > taker.limit : tick < taker.limit) break;
            uint256 key = _key(side, tick);
            Level memory level = _levels[key];
            uint256 tradedBefore = taker.traded;
            while (level.count != 0 && taker.remaining != 0 && taker.matchesLeft != 0 && !taker.outOfRemovals) {
                _meet(escrow, taker, level, tick);
            }
            if (taker.traded != tradedBefore) _recordVolume(state, day, tick, taker.traded - tradedBefore);
            if (level.count != 0) {
                _levels[key] = level;
                break; // the taker is done
            }
            delete _levels[key];
            _clearBit(side, tick);
            tick = _best(side);
        }
    }

    /// @dev The taker meets the level's head order: removes it (expired, its own, frozen owner: a
    /// removal) or fills it (a match), fully (popping it) or partly (popping it too when its rest is
    /// dust). Nothing here calls an account: the owner's ether is credited.
    function _meet(Escrow memory escrow, Taker memory taker, Level memory level, uint256 tick) private {
        uint256 id = level.head;
        Order storage resting = _orders[id];
        address owner = resting.owner;
        uint256 open = resting.quantity - resting.filled;
        uint256 price = tick * TICK;

        if (resting.expiry <= block.timestamp) {
            if (_removalsSpent(taker)) return;
            _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Expired);
            emit ExpireOrder(msg.sender, true, "Order expired");
            emit Activity(owner, address(0), Operation.ExpireOrder, bytes32(id), open, true);
            return;
        }
        if (owner == msg.sender) {
            if (_removalsSpent(taker)) return;
            _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Cancelled);
            emit CancelOrder(msg.sender, true, "Order cancelled: it met its owner's new order");
            emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), open, true);
            return;
        }

        uint256 quantity = open < taker.remaining ? open : taker.remaining;
        if (taker.isBid) {
            // The resting ask's quota is in escrow already; its owner's freeze is the market's word.
            if (market.isFrozen(owner)) {
                _removeFrozen(escrow, taker, level, id, resting, owner, open, price);
                return;
            }
            escrow.carbon -= uint128(quantity);
            _credit(escrow, owner, quantity * price);
        } else {
            // Crediting the resting bidder answers whether it is frozen, on the way.
            RegistryStatus status = _customers.credit(owner, quantity);
            if (status == RegistryStatus.Frozen) {
                _removeFrozen(escrow, taker, level, id, resting, owner, open, price);
                return;
            }
            if (status != RegistryStatus.Done) revert OrderBookBalanceOverflow(owner);
            escrow.ether_ -= uint128(quantity * price);
        }

        taker.matchesLeft--;
        taker.remaining -= quantity;
        taker.traded += quantity;
        taker.value += quantity * price;
        level.quantity -= uint128(quantity);
        resting.filled += uint64(quantity);
        _emitTrade(taker, id, owner, price, quantity);
        uint256 rest = open - quantity;
        if (rest == 0) {
            resting.status = OrderStatus.Filled;
            (level.head, level.count) = (resting.next, level.count - 1);
        } else if (rest < MIN_QUANTITY) {
            resting.status = OrderStatus.Cancelled;
            (level.head, level.count, level.quantity) = (resting.next, level.count - 1, level.quantity - uint128(rest));
            _returnEscrow(escrow, id, owner, rest, price); // not the caller's: credited or released
            emit CancelOrder(msg.sender, true, "Order cancelled: its rest is below the minimum order size");
            emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), rest, true);
        }
    }

    function _emitTrade(Taker memory taker, uint256 id, address owner, uint256 price, uint256 quantity) private {
        (address buyer, address seller) = taker.isBid ? (msg.sender, owner) : (owner, msg.sender);
        (uint256 bidId, uint256 askId) = taker.isBid ? (taker.id, id) : (id, taker.id);
        emit Trade(buyer, seller, price, quantity, bidId, askId);
        emit Activity(buyer, seller, Operation.Trade, bytes32(id), quantity, true);
    }

    function _removeFrozen(
        Escrow memory escrow,
        Taker memory taker,
        Level memory level,
        uint256 id,
        Order storage resting,
        address owner,
        uint256 open,
        uint256 price
    ) private {
        if (_removalsSpent(taker)) return;
        _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Cancelled);
        emit CancelOrder(msg.sender, true, "Order cancelled: its owner is frozen");
        emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), open, true);
    }

    /// @dev Whether the taker has no removal left for the order it meets; if so it stops there, so
    /// that an order that can trade right behind MAX_PRUNES removed ones still fills.
    function _removalsSpent(Taker memory taker) private pure returns (bool) {
        if (taker.prunesLeft != 0) return false;
        taker.outOfRemovals = true;
        return true;
    }

    /// @dev Pops the level's head without a trade, using one of the taker's removals, and returns its
    /// escrow (the taker's own bids' ether rides with its payment at the end of the call).
    function _popRemoved(
        Escrow memory escrow,
        Taker memory taker,
        Level memory level,
        uint256 id,
        Order storage resting,
        address owner,
        uint256 open,
        uint256 price,
        OrderStatus status
    ) private {
        taker.prunesLeft--;
        resting.status = status;
        (level.head, level.count, level.quantity) = (resting.next, level.count - 1, level.quantity - uint128(open));
        taker.refund += _returnEscrow(escrow, id, owner, open, price);
    }

    /// @dev Hands an order's open escrow back: quota by release (frozen or not); ether credited to
    /// its owner, or, when the owner is the caller, returned as the amount to pay it at the end.
    function _returnEscrow(Escrow memory escrow, uint256 id, address owner, uint256 open, uint256 price)
        private
        returns (uint256 callers)
    {
        if (_orders[id].isBid) {
            uint256 value = open * price;
            escrow.ether_ -= uint128(value);
            if (owner == msg.sender) return value;
            _credit(escrow, owner, value);
        } else {
            escrow.carbon -= uint128(open);
            // The owner registered to place the order: only an overflow of its balance can refuse.
            if (_customers.release(owner, open) != RegistryStatus.Done) revert OrderBookBalanceOverflow(owner);
        }
    }

    /// @dev Ether owed to `account`, which it withdraws: no call to it here.
    function _credit(Escrow memory escrow, address account, uint256 amount) private {
        _credits[account] += amount;
        escrow.credited += amount;
    }

    /// @dev A level's fills: the last price, and the day's volume at that price and in all.
    function _recordVolume(State memory state, Day memory day, uint256 tick, uint256 quantity) private {
        (state.lastTick, state.lastTradeTime) = (uint16(tick), uint40(block.timestamp));
        uint256 key = (uint256(day.day) << 16) | tick;
        uint256 volume = _volumeAt[key] + quantity;
        _volumeAt[key] = volume;
        day.volume = _toUint104(day.volume + quantity);
        if (volume > day.leadingVolume) (day.leadingTick, day.leadingVolume) = (uint16(tick), _toUint104(volume));
    }

    // ---------------------------------------------------------------- internal: the book

    /// @dev Puts a new order at the tail of its level (making the level when it is the first).
    /// @return prev The order before it in the queue (0 when it is the first).
    function _append(uint256 id, uint256 side, uint256 tick, uint256 quantity) private returns (uint48 prev) {
        uint256 key = _key(side, tick);
        Level memory level = _levels[key];
        if (level.count == 0) {
            _setBit(side, tick);
            level.head = uint48(id);
        } else {
            prev = level.tail;
            _orders[prev].next = uint48(id);
        }
        (level.tail, level.count, level.quantity) = (uint48(id), level.count + 1, level.quantity + uint128(quantity));
        _levels[key] = level;
    }

    /// @dev Cancel or expiry outside a match: unlinks the order wherever it is in its level, returns
    /// its escrow (to the caller last, when it is the owner; else credited), and writes the escrow slot.
    function _removeAnywhere(uint256 id, Order storage stored, OrderStatus status, string memory message) private {
        uint256 open = _unlink(id, stored);
        stored.status = status;
        address owner = stored.owner;
        Escrow memory escrow = _escrow;
        uint256 own = _returnEscrow(escrow, id, owner, open, uint256(stored.tick) * TICK);
        _escrow = escrow;
        Operation operation = status == OrderStatus.Expired ? Operation.ExpireOrder : Operation.CancelOrder;
        if (operation == Operation.ExpireOrder) emit ExpireOrder(msg.sender, true, message);
        else emit CancelOrder(msg.sender, true, message);
        emit Activity(owner, address(0), operation, bytes32(id), open, true);
        _pay(msg.sender, own);
    }

    /// @dev Takes an open order out of its level's queue, wherever it is; returns its open quantity.
    function _unlink(uint256 id, Order storage stored) private returns (uint256 open) {
        uint256 side = stored.isBid ? BID : ASK;
        uint256 tick = stored.tick;
        open = stored.quantity - stored.filled;
        (uint48 prev, uint48 next) = (stored.prev, stored.next);
        uint256 key = _key(side, tick);
        Level memory level = _levels[key];
        // A head's own `prev` may name an order popped before it (see the contract's notes).
        if (level.head == id) level.head = next;
        else _orders[prev].next = next;
        if (level.tail == id) level.tail = prev;
        else _orders[next].prev = prev;
        (level.count, level.quantity) = (level.count - 1, level.quantity - uint128(open));
        if (level.count == 0) {
            delete _levels[key];
            _clearBit(side, tick);
        } else {
            _levels[key] = level;
        }
    }

    function _bestLevel(uint256 side) private view returns (uint256 price, uint256 quantity) {
        uint256 tick = _best(side);
        if (tick == 0) return (0, 0);
        return (tick * TICK, _levels[_key(side, tick)].quantity);
    }

    // ---------------------------------------------------------------- internal: the bitmap of levels

    function _key(uint256 side, uint256 tick) private pure returns (uint256) {
        return (side << 16) | tick;
    }

    function _setBit(uint256 side, uint256 tick) private {
        _ticks[side].set(tick);
    }

    function _clearBit(uint256 side, uint256 tick) private {
        _ticks[side].clear(tick);
    }

    /// @dev The best occupied tick of a side (highest bid, lowest ask); 0 when the side is empty.
    function _best(uint256 side) private view returns (uint256) {
        return side == BID ? _ticks[side].highest() : _ticks[side].lowest();
    }

    /// @dev The next occupied tick after `tick` away from the best (lower bids, higher asks); 0 if none.
    function _nextTick(uint256 side, uint256 tick) private view returns (uint256) {
        return side == BID ? _ticks[side].below(tick) : _ticks[side].above(tick);
    }

    // ---------------------------------------------------------------- internal: band, payments, paging

    /// @dev Brings the state and the day's figures to today (in memory): a finished day that traded
    /// REFERENCE_MIN_VOLUME units makes its most-traded price the reference.
    function _rollDay(State memory state, Day memory day) private view {
        uint32 today = uint32(block.timestamp / 1 days);
        if (day.day == today) return;
        if (day.volume >= REFERENCE_MIN_VOLUME) state.referenceTick = day.leadingTick;
        (day.day, day.leadingTick, day.leadingVolume, day.volume) = (today, 0, 0, 0);
    }

    /// @dev Today's band in ticks, inclusive; (0, 65535) when no band applies. Rounded outward, and
    /// never narrower than one tick each side of the reference.
    function _band(State memory state) private pure returns (uint256 low, uint256 high) {
        uint256 reference_ = state.referenceTick;
        uint256 top = MAX_PRICE / TICK;
        if (state.bandBps == 0 || reference_ == 0) return (0, top);
        low = reference_ * (MAX_BAND_BPS - state.bandBps) / MAX_BAND_BPS;
        high = (reference_ * (MAX_BAND_BPS + state.bandBps) + MAX_BAND_BPS - 1) / MAX_BAND_BPS;
        if (low >= reference_) low = reference_ - 1;
        if (low == 0) low = 1;
        if (high <= reference_) high = reference_ + 1;
        if (high > top) high = top;
    }

    /// @dev Pays the caller its own ether, last in its call (nothing for zero). Under the lock, the
    /// receiver cannot re-enter; if it refuses, only its own call is undone.
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert OrderBookPaymentFailed(to, amount);
    }

    function _toUint104(uint256 value) private view returns (uint104) {
        if (value > type(uint104).max) revert OrderBookBalanceOverflow(msg.sender);
        return uint104(value);
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return limit < remaining ? limit : remaining;
    }
}
