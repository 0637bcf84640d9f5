// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccountRegistry, RegistryStatus} from "./AccountRegistry.sol";
import {Carbon} from "./Carbon.sol";
import {Operation} from "./Operation.sol";

/// @title OrderBook
/// @notice Matchmaking beside the thesis's lot shop: registered customers place bids (ether
/// escrowed) and asks (quota escrowed) for whole units of quota at a limit price per unit; an incoming
/// order trades at once with the best resting orders of the other side, in price-time priority, at the
/// resting order's price, and its rest waits in the book until filled, cancelled or expired. The
/// regulator sets a daily price band and can halt and resume trading.
/// @dev The design, and why:
/// - Prices are whole ticks of TICK wei (0.0001 ether) from 1 to 65,535 ticks (6.5535 ether a unit),
///   so the occupied price levels of a side fit a two-level bitmap (UbiTok's idea): 256 words of 256
///   ticks each, and one summary word telling which of those words are non-empty. Finding the best
///   level, or the next one, reads at most three words whatever the book holds: placing, cancelling
///   and each fill cost the same at 1 and at 1,000 resting orders. A sorted linked list of levels
///   (maker-otc) would need an insertion hint from the caller to stay O(1); a bitmap needs none.
/// - Each level is a FIFO queue of orders (a doubly linked list of order IDs, head = oldest) in one
///   slot with its open quantity and order count: time priority within a price, and O(1) cancel from
///   the middle. Popping the head does not rewrite the next order's `prev` (a head is recognised by
///   the level's `head`, not by its own `prev`), which saves a write per fill.
/// - An order is two slots (owner, expiry, tick, side; quantity, filled, links, status) kept after it
///   closes, so `order(id)` and `ordersOf` show history; every order, even one filled at once, gets
///   an ID, which the Trade events name.
/// - A call meets at most `maxMatches` resting orders (filled, expired, or removed for a frozen owner
///   or self-trade), so its gas is bounded by the caller: base + k x per-fill (cli/chain/gas.ts).
///   An incoming order that would still cross the book when its matches run out does not rest (the
///   book is never crossed after a call): its rest is returned, and the outcome message says so.
/// - Only externally owned accounts place orders (msg.sender == tx.origin): paying an EOA can neither
///   fail nor re-enter, so every fill pays the seller directly and the contract's ether is exactly the
///   open bids' escrow (no ledger of unpaid proceeds, no re-entrancy guard).
/// - Frozen owners: a frozen account cannot place orders, and a resting order whose owner is frozen
///   is never filled: the call that meets it removes it and returns its escrow to its owner (quota by
///   registry.release, which ignores the freeze; ether likewise: it is the owner's own deposit), and
///   records CancelOrder "Order cancelled: its owner is frozen".
/// - Self-trade prevention (cancel the resting order, as exchanges' "cancel oldest" does): an incoming
///   order that meets its owner's resting order cancels that resting order, escrow returned, and goes
///   on matching behind it.
/// - The band applies to the limit price of new orders: resting orders keep trading at their own price
///   (they were in the band of the day they were placed).
/// - Escrow is counted in one slot (ether, quota) written once per call: escrowedEther() equals the
///   contract's balance and the open bids' escrow; escrowedCarbonAmount() the open asks' quota.
///   Ether forced in without a call (selfdestruct, coinbase) would show as balance above escrow.
contract OrderBook {
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
        uint16 closeTick; // the close of the last day with trades before lastTradeDay
        uint32 lastTradeDay; // block.timestamp / 1 days of the last trade
        uint40 lastTradeTime;
        uint16 bandBps; // 0: no band
        bool halted;
    }

    /// @dev One slot, read once and written once per call.
    struct Escrow {
        uint128 ether_;
        uint128 carbon;
    }

    /// @dev The incoming order's running totals while it meets the book (memory: no stack pressure).
    struct Taker {
        uint256 id;
        bool isBid;
        uint256 limit; // tick
        uint256 quantity; // as placed
        uint256 expiry; // as stored (NEVER for 0)
        uint256 remaining;
        uint256 matchesLeft;
        uint256 traded; // quantity traded
        uint256 value; // ether exchanged, at the resting orders' prices
        uint256 refund; // ether of the taker's own resting bids cancelled by self-trade prevention
        bool rests; // its rest stays in the book
        bool crossed; // its matches ran out while it still crossed the book: its rest is returned
    }

    /// @notice The price step, in wei per unit of quota (0.0001 ether).
    uint256 public constant TICK = 1e14;
    /// @notice The highest price: 65,535 ticks (6.5535 ether a unit).
    uint256 public constant MAX_PRICE = 65_535 * TICK;
    /// @notice The smallest order, in units: a resting order costs every taker a fill's gas, so dust
    /// is refused. A partly filled order's rest may be smaller.
    uint256 public constant MIN_QUANTITY = 10;
    /// @notice The largest order, in units (the order's packed storage).
    uint256 public constant MAX_QUANTITY = type(uint64).max;
    /// @notice The most resting orders one call may meet: the caller's gas limit grows with it.
    uint256 public constant MAX_MATCHES = 100;
    /// @notice The widest band, in basis points (±100%).
    uint256 public constant MAX_BAND_BPS = 10_000;
    /// @notice The expiry an order never reaches (what expiry 0, good till cancelled, is stored as).
    uint256 public constant NEVER = type(uint40).max;

    uint256 private constant ASK = 0;
    uint256 private constant BID = 1;

    string private constant FROZEN = "This account is frozen";

    /// @notice The market this book belongs to; its regulator is the book's regulator.
    Carbon public immutable market;
    AccountRegistry private immutable _customers;

    State private _state;
    Escrow private _escrow;
    mapping(uint256 id => Order) private _orders;
    mapping(address account => uint48[] ids) private _ordersOf;
    mapping(uint256 sideAndTick => Level) private _levels; // side << 16 | tick
    mapping(uint256 side => mapping(uint256 word => uint256 bits)) private _words; // 256 ticks a word
    mapping(uint256 side => uint256 bits) private _summary; // which words are non-empty

    /// @notice `account` is not a registered customer: only customers trade.
    error OrderBookNotCustomer(address account);
    /// @notice Orders come from externally owned accounts only (see the contract's notes).
    error OrderBookContractCaller(address caller);
    /// @notice A price must be a whole number of ticks (TICK wei) from 1 tick to MAX_PRICE.
    error OrderBookInvalidPrice(uint256 price);
    error OrderBookQuantityTooSmall(uint256 quantity, uint256 minimum);
    error OrderBookQuantityTooLarge(uint256 quantity, uint256 maximum);
    /// @notice A bid must send exactly quantity x price.
    error OrderBookWrongValue(uint256 sent, uint256 required);
    /// @notice An expiry must fit 40 bits (0 means good till cancelled).
    error OrderBookInvalidExpiry(uint256 expiry);
    error OrderBookTooManyMatches(uint256 maxMatches, uint256 maximum);
    error OrderBookUnknownOrder(uint256 id);
    /// @notice Only an order's owner may cancel it.
    error OrderBookUnauthorizedAccount(address caller, address owner);
    error OrderBookUnauthorizedRegulator(address caller);
    error OrderBookInvalidBand(uint256 bps, uint256 maximum);
    /// @notice Crediting the buyer would overflow its balance (2^96-1): never in practice.
    error OrderBookBalanceOverflow(address account);
    /// @notice An ether payment failed: cannot happen to an EOA, so it reverts.
    error OrderBookPaymentFailed(address account, uint256 amount);

    event PlaceBid(address sender, bool isSuccess, string message);
    event PlaceAsk(address sender, bool isSuccess, string message);
    event CancelOrder(address sender, bool isSuccess, string message);
    event ExpireOrder(address sender, bool isSuccess, string message);
    event SetPriceBand(address sender, bool isSuccess, string message);
    event HaltTrading(address sender, bool isSuccess, string message);
    event ResumeTrading(address sender, bool isSuccess, string message);

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

    // ---------------------------------------------------------------- orders

    /// @notice The market's regulator (Carbon.regulator, read there, so a handover on Carbon moves the
    /// book too), who sets the band and halts trading.
    function regulator() public view returns (address) {
        return market.regulator();
    }

    /// @notice Bids for `quantity` units at up to `price` wei a unit, sending quantity x price as escrow.
    /// It trades at once with the cheapest asks (at their prices; the difference is refunded), meeting
    /// at most `maxMatches` of them; the rest rests until `expiry` (unix seconds; 0: good till
    /// cancelled; a time already past: fill what it can now, rest nothing).
    /// @dev Requires a registered customer calling from its own EOA, a price of whole ticks, a
    /// quantity from MIN_QUANTITY, msg.value == quantity x price, maxMatches <= MAX_MATCHES. Emits
    /// Trade and Activity per fill, ExpireOrder/CancelOrder for resting orders removed on the way,
    /// OrderPlaced, then PlaceBid: "Order placed" / "Order filled" / "Order partly filled; the rest is
    /// in the book" / "Order partly filled; the rest was returned: the match limit was reached" / "The
    /// match limit was reached; the order was returned" / "Order partly filled; the rest expired" /
    /// "Order expired unfilled"; or, changing nothing and refunding msg.value: "This account is frozen"
    /// / "Trading is halted" / "The price is outside today's price band".
    /// @return id The order's ID (0 when it failed).
    function placeBid(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches)
        external
        payable
        returns (uint256 id)
    {
        uint256 tick = _checkOrder(quantity, price, expiry, maxMatches);
        if (msg.value != quantity * price) revert OrderBookWrongValue(msg.value, quantity * price);
        State memory state = _state;
        string memory failure = _refusal(state, tick);
        if (bytes(failure).length != 0) {
            emit PlaceBid(msg.sender, false, failure);
            emit Activity(msg.sender, address(0), Operation.PlaceBid, 0, quantity, false);
            _pay(msg.sender, msg.value); // nothing changes: the deposit goes back
            return 0;
        }
        return _place(state, true, tick, quantity, expiry, maxMatches);
    }

    /// @notice Offers `quantity` units of the sender's quota at no less than `price` wei a unit; the
    /// quota is escrowed. It trades at once with the highest bids (at their prices), meeting at most
    /// `maxMatches` of them; the rest rests until `expiry` (as placeBid).
    /// @dev Requirements as placeBid, without ether. Emits as placeBid, with PlaceAsk, whose failures
    /// also include "Insufficient quota for this order".
    /// @return id The order's ID (0 when it failed).
    function placeAsk(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches) external returns (uint256 id) {
        uint256 tick = _checkOrder(quantity, price, expiry, maxMatches);
        State memory state = _state;
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
        return _place(state, false, tick, quantity, expiry, maxMatches);
    }

    /// @notice The owner cancels its open order; its escrow (ether or quota) comes back. Allowed while
    /// trading is halted and while the owner is frozen: the escrow is the owner's own.
    /// @dev Requires the order's owner. Emits CancelOrder: "Order cancelled" / "This order is not open".
    function cancelOrder(uint256 id) external {
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
    /// meet expired orders do this too; this keeps the book's depth clean without a trade).
    /// @dev Emits ExpireOrder: "Order expired" / "This order is not open" / "This order has not expired".
    function expireOrder(uint256 id) external {
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

    // ---------------------------------------------------------------- risk control

    /// @notice The regulator sets the daily price band: new orders must be priced within ±`bps` basis
    /// points of the previous day's closing price (0: no band; no band either before the first day with
    /// trades has closed).
    /// @dev Requires the regulator and bps <= MAX_BAND_BPS. Emits SetPriceBand "Price band set".
    function setPriceBand(uint256 bps) external onlyRegulator {
        if (bps > MAX_BAND_BPS) revert OrderBookInvalidBand(bps, MAX_BAND_BPS);
        _state.bandBps = uint16(bps);
        emit SetPriceBand(msg.sender, true, "Price band set");
        emit Activity(msg.sender, address(0), Operation.SetPriceBand, 0, bps, true);
    }

    /// @notice The regulator halts trading: no order can be placed; cancelling still works.
    /// @dev Requires the regulator. Emits HaltTrading "Trading halted" / "Trading is already halted".
    function haltTrading() external onlyRegulator {
        bool ok = !_state.halted;
        if (ok) _state.halted = true;
        emit HaltTrading(msg.sender, ok, ok ? "Trading halted" : "Trading is already halted");
        emit Activity(msg.sender, address(0), Operation.HaltTrading, 0, 0, ok);
    }

    /// @notice The regulator resumes trading.
    /// @dev Requires the regulator. Emits ResumeTrading "Trading resumed" / "Trading is not halted".
    function resumeTrading() external onlyRegulator {
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

    /// @notice The previous day's closing price: the last trade's price before today (UTC days of
    /// block time); 0 when no day with trades has closed. The band is centred on it.
    function closingPrice() external view returns (uint256) {
        return _referenceTick(_state) * TICK;
    }

    /// @notice Today's band: its width in basis points and the lowest and highest prices an order may
    /// have (low = 0 and high = MAX_PRICE when no band applies).
    function priceBand() external view returns (uint256 bps, uint256 low, uint256 high) {
        State memory state = _state;
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

    /// @notice Ether held in escrow by open bids: equal to this contract's balance at every block.
    function escrowedEther() external view returns (uint256) {
        return _escrow.ether_;
    }

    // ---------------------------------------------------------------- internal: placing

    /// @dev The malformed-call reverts shared by both sides; returns the price in ticks.
    function _checkOrder(uint256 quantity, uint256 price, uint256 expiry, uint256 maxMatches)
        private
        view
        returns (uint256 tick)
    {
        if (msg.sender != tx.origin) revert OrderBookContractCaller(msg.sender);
        if (!_customers.isRegistered(msg.sender)) revert OrderBookNotCustomer(msg.sender);
        if (price == 0 || price % TICK != 0 || price > MAX_PRICE) revert OrderBookInvalidPrice(price);
        if (quantity < MIN_QUANTITY) revert OrderBookQuantityTooSmall(quantity, MIN_QUANTITY);
        if (quantity > MAX_QUANTITY) revert OrderBookQuantityTooLarge(quantity, MAX_QUANTITY);
        if (expiry > NEVER) revert OrderBookInvalidExpiry(expiry);
        if (maxMatches > MAX_MATCHES) revert OrderBookTooManyMatches(maxMatches, MAX_MATCHES);
        return price / TICK;
    }

    /// @dev The business refusals shared by both sides, the freeze first of all; "" when none.
    function _refusal(State memory state, uint256 tick) private view returns (string memory) {
        if (market.isFrozen(msg.sender)) return FROZEN;
        if (state.halted) return "Trading is halted";
        (uint256 low, uint256 high) = _band(state);
        if (tick < low || tick > high) return "The price is outside today's price band";
        return "";
    }

    /// @dev The accepted order meets the book, then rests or returns its rest; the state and escrow
    /// slots are written once, before the one payment to the taker.
    function _place(State memory state, bool isBid, uint256 tick, uint256 quantity, uint256 expiry, uint256 maxMatches)
        private
        returns (uint256 id)
    {
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
            traded: 0,
            value: 0,
            refund: 0,
            rests: false,
            crossed: false
        });
        _match(state, escrow, taker);
        taker.crossed = _crosses(taker);
        taker.rests = taker.remaining != 0 && !taker.crossed && taker.expiry > block.timestamp;
        _store(taker);
        _state = state;
        _settle(taker, escrow);
        _emitPlaced(taker);
    }

    /// @dev Records the incoming order (resting or not: every order has an ID and a history).
    function _store(Taker memory taker) private {
        OrderStatus status = taker.remaining == 0 ? OrderStatus.Filled : taker.rests ? OrderStatus.Open : taker.crossed
            ? OrderStatus.Cancelled
            : OrderStatus.Expired;
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

    /// @dev Settles the taker's side once: quota to a buyer (or back to a seller), ether back to a
    /// bidder (the unspent deposit) or to a seller (its proceeds).
    function _settle(Taker memory taker, Escrow memory escrow) private {
        if (taker.isBid) {
            if (taker.traded != 0 && _customers.credit(msg.sender, taker.traded) != RegistryStatus.Done) {
                revert OrderBookBalanceOverflow(msg.sender);
            }
            uint256 kept = taker.rests ? taker.remaining * taker.limit * TICK : 0;
            escrow.ether_ += uint128(kept);
            _escrow = escrow;
            _pay(msg.sender, msg.value - taker.value - kept);
        } else {
            if (taker.rests) escrow.carbon += uint128(taker.remaining);
            else if (taker.remaining != 0 && _customers.release(msg.sender, taker.remaining) != RegistryStatus.Done) {
                revert OrderBookBalanceOverflow(msg.sender);
            }
            _escrow = escrow;
            _pay(msg.sender, taker.value + taker.refund);
        }
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

    /// @dev Meets the other side's levels from the best while the taker has quantity and matches left
    /// and the level's price satisfies its limit. Each level is read once into memory and written once.
    function _match(State memory state, Escrow memory escrow, Taker memory taker) private {
        uint256 side = taker.isBid ? ASK : BID;
        uint256 tick = _best(side);
        while (tick != 0 && taker.remaining != 0 && taker.matchesLeft != 0) {
            if (taker.isBid ? tick > taker.limit : tick < taker.limit) break;
            uint256 key = _key(side, tick);
            Level memory level = _levels[key];
            while (level.count != 0 && taker.remaining != 0 && taker.matchesLeft != 0) {
                taker.matchesLeft--;
                _meet(state, escrow, taker, level, tick);
            }
            if (level.count != 0) {
                _levels[key] = level;
                break; // the taker is done
            }
            delete _levels[key];
            _clearBit(side, tick);
            tick = _best(side);
        }
    }

    /// @dev The taker meets the level's head order: removes it (expired, its own, frozen owner) or
    /// fills it, fully (popping it) or partly.
    function _meet(State memory state, Escrow memory escrow, Taker memory taker, Level memory level, uint256 tick)
        private
    {
        uint256 id = level.head;
        Order storage resting = _orders[id];
        address owner = resting.owner;
        uint256 open = resting.quantity - resting.filled;
        uint256 price = tick * TICK;

        if (resting.expiry <= block.timestamp) {
            _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Expired);
            emit ExpireOrder(msg.sender, true, "Order expired");
            emit Activity(owner, address(0), Operation.ExpireOrder, bytes32(id), open, true);
            return;
        }
        if (owner == msg.sender) {
            _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Cancelled);
            emit CancelOrder(msg.sender, true, "Order cancelled: it met its owner's new order");
            emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), open, true);
            return;
        }

        uint256 quantity = open < taker.remaining ? open : taker.remaining;
        uint256 value = quantity * price;
        address buyer;
        address seller;
        if (taker.isBid) {
            // The resting ask's quota is in escrow already; its owner's freeze is the market's word.
            if (market.isFrozen(owner)) {
                _removeFrozen(escrow, taker, level, id, resting, owner, open, price);
                return;
            }
            (buyer, seller) = (msg.sender, owner);
            escrow.carbon -= uint128(quantity);
            _pay(owner, value);
        } else {
            // Crediting the resting bidder answers whether it is frozen, on the way.
            RegistryStatus status = _customers.credit(owner, quantity);
            if (status == RegistryStatus.Frozen) {
                _removeFrozen(escrow, taker, level, id, resting, owner, open, price);
                return;
            }
            if (status != RegistryStatus.Done) revert OrderBookBalanceOverflow(owner);
            (buyer, seller) = (owner, msg.sender);
            escrow.ether_ -= uint128(value);
        }

        taker.remaining -= quantity;
        taker.traded += quantity;
        taker.value += value;
        level.quantity -= uint128(quantity);
        if (quantity == open) {
            (resting.filled, resting.status) = (resting.quantity, OrderStatus.Filled);
            (level.head, level.count) = (resting.next, level.count - 1);
        } else {
            resting.filled += uint64(quantity);
        }
        _recordTrade(state, tick);
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
        _popRemoved(escrow, taker, level, id, resting, owner, open, price, OrderStatus.Cancelled);
        emit CancelOrder(msg.sender, true, "Order cancelled: its owner is frozen");
        emit Activity(owner, address(0), Operation.CancelOrder, bytes32(id), open, true);
    }

    /// @dev Pops the level's head without a trade and returns its escrow: quota released to its owner,
    /// ether paid back (to the taker at the end when the owner is the taker itself).
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
        resting.status = status;
        (level.head, level.count, level.quantity) = (resting.next, level.count - 1, level.quantity - uint128(open));
        _returnEscrow(escrow, taker, id, owner, open, price);
    }

    /// @dev Hands an order's open escrow back: quota by release (frozen or not), ether by payment
    /// (the taker's own bids' ether rides with its proceeds, paid once at the end of its call).
    function _returnEscrow(Escrow memory escrow, Taker memory taker, uint256 id, address owner, uint256 open, uint256 price)
        private
    {
        if (_orders[id].isBid) {
            uint256 value = open * price;
            escrow.ether_ -= uint128(value);
            if (taker.id != 0 && owner == msg.sender) taker.refund += value;
            else _pay(owner, value);
        } else {
            escrow.carbon -= uint128(open);
            // The owner registered to place the order: only an overflow of its balance can refuse.
            if (_customers.release(owner, open) != RegistryStatus.Done) revert OrderBookBalanceOverflow(owner);
        }
    }

    /// @dev The last price, and the close of the day before the last trade's day (the band's centre).
    function _recordTrade(State memory state, uint256 tick) private view {
        uint32 today = uint32(block.timestamp / 1 days);
        if (today != state.lastTradeDay) (state.closeTick, state.lastTradeDay) = (state.lastTick, today);
        (state.lastTick, state.lastTradeTime) = (uint16(tick), uint40(block.timestamp));
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
    /// its escrow, and writes the escrow slot.
    function _removeAnywhere(uint256 id, Order storage stored, OrderStatus status, string memory message) private {
        uint256 open = _unlink(id, stored);
        stored.status = status;
        address owner = stored.owner;
        Escrow memory escrow = _escrow;
        Taker memory nobody; // no incoming order: ether goes straight back to the owner
        _returnEscrow(escrow, nobody, id, owner, open, uint256(stored.tick) * TICK);
        _escrow = escrow;
        Operation operation = status == OrderStatus.Expired ? Operation.ExpireOrder : Operation.CancelOrder;
        if (operation == Operation.ExpireOrder) emit ExpireOrder(msg.sender, true, message);
        else emit CancelOrder(msg.sender, true, message);
        emit Activity(owner, address(0), operation, bytes32(id), open, true);
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
        uint256 w = tick >> 8;
        uint256 word = _words[side][w];
        if (word == 0) _summary[side] |= 1 << w;
        _words[side][w] = word | (1 << (tick & 255));
    }

    function _clearBit(uint256 side, uint256 tick) private {
        uint256 w = tick >> 8;
        uint256 word = _words[side][w] & ~(1 << (tick & 255));
        _words[side][w] = word;
        if (word == 0) _summary[side] &= ~(1 << w);
    }

    /// @dev The best occupied tick of a side (highest bid, lowest ask); 0 when the side is empty.
    function _best(uint256 side) private view returns (uint256) {
        uint256 summary = _summary[side];
        if (summary == 0) return 0;
        uint256 w = side == BID ? _msb(summary) : _lsb(summary);
        uint256 word = _words[side][w];
        return (w << 8) | (side == BID ? _msb(word) : _lsb(word));
    }

    /// @dev The next occupied tick after `tick` away from the best (lower bids, higher asks); 0 if none.
    function _nextTick(uint256 side, uint256 tick) private view returns (uint256) {
        uint256 w = tick >> 8;
        uint256 b = tick & 255;
        uint256 word = _words[side][w];
        unchecked {
            if (side == BID) {
                uint256 below = word & ((1 << b) - 1);
                if (below != 0) return (w << 8) | _msb(below);
                uint256 words = _summary[side] & ((1 << w) - 1);
                if (words == 0) return 0;
                uint256 v = _msb(words);
                return (v << 8) | _msb(_words[side][v]);
            } else {
                uint256 above = b == 255 ? 0 : word & ~((2 << b) - 1);
                if (above != 0) return (w << 8) | _lsb(above);
                uint256 words = w == 255 ? 0 : _summary[side] & ~((2 << w) - 1);
                if (words == 0) return 0;
                uint256 v = _lsb(words);
                return (v << 8) | _lsb(_words[side][v]);
            }
        }
    }

    /// @dev The most significant set bit of a non-zero word (Uniswap v3's BitMath, by halving).
    function _msb(uint256 x) private pure returns (uint256 r) {
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
    function _lsb(uint256 x) private pure returns (uint256) {
        unchecked {
            return _msb(x & (~x + 1));
        }
    }

    // ---------------------------------------------------------------- internal: band, payments, paging

    /// @dev The previous day's close: the last trade's price if it was before today, else the close of
    /// the day before it.
    function _referenceTick(State memory state) private view returns (uint256) {
        return state.lastTradeDay < block.timestamp / 1 days ? state.lastTick : state.closeTick;
    }

    /// @dev Today's band in ticks, inclusive; (0, 65535) when no band applies.
    function _band(State memory state) private view returns (uint256 low, uint256 high) {
        uint256 reference_ = _referenceTick(state);
        if (state.bandBps == 0 || reference_ == 0) return (0, MAX_PRICE / TICK);
        low = (reference_ * (MAX_BAND_BPS - state.bandBps) + MAX_BAND_BPS - 1) / MAX_BAND_BPS; // rounded in
        high = reference_ * (MAX_BAND_BPS + state.bandBps) / MAX_BAND_BPS;
        if (high > MAX_PRICE / TICK) high = MAX_PRICE / TICK;
    }

    /// @dev Pays an EOA (orders come from EOAs only); nothing for zero.
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert OrderBookPaymentFailed(to, amount);
    }

    function _pageLength(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return limit < remaining ? limit : remaining;
    }
}
