// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Carbon} from "./Carbon.sol";
import {Compliance} from "./Compliance.sol";
import {TickBitmap} from "./TickBitmap.sol";

/// @title Auction
/// @notice The regulator sells quota by a sealed-bid uniform-price auction with a reserve price, as
/// RGGI, California and the UK ETS sell allowances. The regulator opens an auction of `supply` units
/// with a reserve, a limit on what one bidder may win (a share of the supply) and two deadlines.
/// Until the first, registered customers seal their bids: up to MAX_BIDS (quantity, price) pairs
/// at falling prices, hidden in a hash (commit), with ether in escrow that covers them. Until the
/// second, each reveals its bids (reveal). Then anyone clears the auction (clear): the clearing
/// price is where the bids, highest first, meet the supply (the lowest winning bid), or the reserve
/// when the bids do not take it all. Every winner pays that one price. Bids above it win in full;
/// bids at it share what is left of the supply in proportion to their quantity (rounded down: at
/// most a unit per such bid stays unsold and is never issued). Each bidder is then settled
/// (settle): its quota is issued by the market under the period's cap, it pays the clearing price
/// for it, and the rest of its escrow comes back, exactly. Bids and results are public once
/// revealed; until then only the escrow shows, and a bidder may put up more than its bids need.
/// @dev The design, and why:
/// - Sealed on a public chain means commit-reveal: the commitment is keccak256 of (this contract,
///   the auction, the bidder, the quantities, the prices, a salt), so a commitment cannot be
///   replayed by another bidder or in another auction, and the salt keeps small bids from being
///   guessed. A bidder who does not reveal, or reveals bids that break the rules, wins nothing and
///   gets its whole escrow back: refunds are exact, and a reveal that does not count is said so in
///   its outcome event.
/// - O(1) in the number of bidders: the revealed bids add to price levels kept in a TickBitmap (the
///   order book's prices: whole ticks of TICK wei), so a reveal costs the same for the 1st and the
///   1,000th bidder; clearing walks the levels from the top, a caller-chosen number per call, and
///   keeps its place between calls; settling reads only the bidder's own bids (at most MAX_BIDS).
/// - Value moves by checks, effects, then interactions. A bidder's record is settled before the
///   market issues its quota (the market is the trusted contract this one was built for, and calls
///   only the registries); ether owed to anybody but the caller (another bidder's refund, the
///   revenue, which is the regulator's) is credited and taken by withdrawRefund; the caller's own is
///   paid once, last, under the lock. So no receiving code can re-enter or block the auction, and a
///   bidder who refuses ether fails only its own call.
/// - A winner the market cannot issue to (frozen, the period's cap spent, the period past its
///   surrender deadline) is refunded in full, and its units are not issued: the market's own rules
///   for issuing apply to the auction as to the regulator.
/// - The contract's balance is the escrow of bidders not yet settled plus the credits.
contract Auction {
    using TickBitmap for TickBitmap.Map;

    /// @notice Where an auction is: sealing bids, revealing them, waiting to be cleared (or partly
    /// cleared), cleared. `None` for an auction never opened.
    enum Phase {
        None,
        Commit,
        Reveal,
        Clearing,
        Cleared
    }

    /// @dev An auction in four slots.
    struct Sale {
        uint64 supply;
        uint64 maxWin; // the most one bidder may bid for
        uint16 reserveTick;
        uint40 commitDeadline;
        uint40 revealDeadline;
        uint64 demand; // units revealed in all
        uint64 above; // units bid above the clearing walk's place
        uint16 cursor; // the next level the clearing walk looks at
        uint16 clearingTick;
        bool walking; // the clearing walk has begun
        bool cleared;
        uint32 bidders; // accounts that sealed bids
        uint64 marginalQuantity; // bid at the clearing price (0: every bid wins in full)
        uint64 marginalFill; // of which sold
        uint64 issued; // issued to the winners settled so far
        uint32 periodId; // the compliance period open when it opened (NO_PERIOD: none)
        uint128 revenue; // paid by the winners settled so far
        uint128 escrow; // held for bidders not yet settled
    }

    /// @dev A bidder in an auction, two slots.
    struct Bidder {
        bytes32 commitment;
        uint128 escrow;
        uint64 won;
        uint8 bidCount;
        bool revealed;
        bool settled;
    }

    /// @dev One slot.
    struct Bid {
        uint64 quantity;
        uint16 tick;
    }

    /// @notice An auction as the views return it: prices in wei per unit, quantities in units.
    struct AuctionView {
        Phase phase;
        uint256 periodId;
        uint256 supply;
        uint256 reservePrice;
        uint256 maxWin;
        uint256 commitDeadline;
        uint256 revealDeadline;
        uint256 bidders;
        uint256 demand;
        uint256 clearingPrice; // 0 until cleared
        uint256 marginalQuantity;
        uint256 marginalFill;
        uint256 issued;
        uint256 revenue;
        uint256 escrow;
    }

    /// @notice A bidder's part in an auction.
    struct BidderView {
        bool committed;
        bool revealed;
        bool settled;
        uint256 escrow; // still held (0 once settled)
        uint256 won; // once settled
        uint256[] quantities;
        uint256[] prices;
    }

    /// @notice A price level of the revealed bids.
    struct LevelView {
        uint256 price;
        uint256 quantity;
    }

    /// @notice The price step, in wei per unit: the order book's.
    uint256 public constant TICK = 1e14;
    /// @notice The highest price: 65,535 ticks (6.5535 ether a unit).
    uint256 public constant MAX_PRICE = 65_535 * TICK;
    /// @notice The most bids one bidder seals in an auction: a demand schedule, at falling prices.
    uint256 public constant MAX_BIDS = 4;
    /// @notice The most price levels one clear call may walk: its gas stays under a class chain's
    /// limit for a call.
    uint256 public constant MAX_CLEAR_LEVELS = 200;
    /// @notice The periodId of an auction opened while no compliance period was open.
    uint256 public constant NO_PERIOD = type(uint32).max;

    uint256 private constant UNLOCKED = 1;
    uint256 private constant LOCKED = 2;

    Carbon public immutable market;
    Compliance public immutable compliance;

    uint256 private _lock = UNLOCKED;
    uint256 private _count;
    uint256 private _credited;
    mapping(uint256 id => Sale) private _sales;
    mapping(uint256 id => mapping(address bidder => Bidder)) private _bidders;
    mapping(uint256 id => mapping(address bidder => mapping(uint256 index => Bid))) private _bids;
    mapping(uint256 id => TickBitmap.Map) private _levels;
    mapping(uint256 id => mapping(uint256 tick => uint256 quantity)) private _levelQuantity;
    mapping(address account => uint256 amount) private _credits;
    mapping(uint256 id => address[] bidders) private _bidderList;

    error AuctionReentrantCall();
    error AuctionUnauthorizedRegulator(address caller);
    /// @notice The market does not name this contract its auction: what it sold could not be issued.
    error AuctionNotWired();
    error AuctionInvalidSupply(uint256 supply);
    /// @notice A reserve is a whole number of ticks, from one tick to MAX_PRICE.
    error AuctionInvalidPrice(uint256 price);
    /// @notice The most one bidder may win is 0.01 % to 100 % of the supply, in basis points.
    error AuctionInvalidShare(uint256 bps);
    /// @notice The deadlines are in the future, the reveal's after the commitment's.
    error AuctionInvalidDeadlines(uint256 commitDeadline, uint256 revealDeadline);
    error AuctionUnknown(uint256 id);
    /// @notice Bids are sealed only until the auction's commitment deadline.
    error AuctionNotSealing(uint256 id, uint256 commitDeadline);
    error AuctionNotCustomer(address account);
    error AuctionFrozen(address account);
    error AuctionZeroCommitment();
    error AuctionZeroEscrow();
    error AuctionEscrowOverflow();
    error AuctionPaymentFailed(address to, uint256 amount);

    event OpenAuction(address sender, bool isSuccess, string message);
    event CommitBids(address sender, bool isSuccess, string message);
    event RevealBids(address sender, bool isSuccess, string message);
    event ClearAuction(address sender, bool isSuccess, string message);
    event SettleBidder(address sender, bool isSuccess, string message);
    event WithdrawRefund(address sender, bool isSuccess, string message);

    event AuctionOpened(
        uint256 indexed id,
        uint256 periodId,
        uint256 supply,
        uint256 reservePrice,
        uint256 maxWin,
        uint256 commitDeadline,
        uint256 revealDeadline
    );
    event BidsCommitted(uint256 indexed id, address indexed bidder, uint256 escrow);
    event BidsRevealed(uint256 indexed id, address indexed bidder, uint256[] quantities, uint256[] prices);
    event AuctionCleared(uint256 indexed id, uint256 clearingPrice, uint256 demand, uint256 marginalQuantity, uint256 marginalFill);
    event BidderSettled(uint256 indexed id, address indexed bidder, uint256 won, uint256 paid, uint256 refund);

    constructor(Carbon market_) {
        market = market_;
        compliance = Compliance(address(market_.compliance()));
    }

    modifier nonReentrant() {
        if (_lock != UNLOCKED) revert AuctionReentrantCall();
        _lock = LOCKED;
        _;
        _lock = UNLOCKED;
    }

    modifier onlyRegulator() {
        if (msg.sender != market.regulator()) revert AuctionUnauthorizedRegulator(msg.sender);
        _;
    }

    modifier known(uint256 id) {
        if (id >= _count) revert AuctionUnknown(id);
        _;
    }

    // ---------------------------------------------------------------- the regulator

    /// @notice The regulator opens auction number auctionCount() of `supply` units at a reserve of
    /// `reservePrice` wei a unit; one bidder may bid for at most `maxShareBps` basis points of the
    /// supply (at least a unit); bids are sealed until `commitDeadline` and revealed until
    /// `revealDeadline` (seconds, on the chain's clock).
    /// @dev Requires the regulator, the market's wiring, valid figures (custom errors). Emits
    /// OpenAuction: "Auction opened" / "An auction is under way: clear it first"; and AuctionOpened.
    function openAuction(
        uint256 supply,
        uint256 reservePrice,
        uint256 maxShareBps,
        uint256 commitDeadline,
        uint256 revealDeadline
    ) external onlyRegulator nonReentrant {
        if (market.auction() != address(this)) revert AuctionNotWired();
        if (supply == 0 || supply > type(uint64).max) revert AuctionInvalidSupply(supply);
        if (reservePrice == 0 || reservePrice % TICK != 0 || reservePrice > MAX_PRICE) revert AuctionInvalidPrice(reservePrice);
        if (maxShareBps == 0 || maxShareBps > 10_000) revert AuctionInvalidShare(maxShareBps);
        if (commitDeadline <= block.timestamp || revealDeadline <= commitDeadline || revealDeadline > type(uint40).max) {
            revert AuctionInvalidDeadlines(commitDeadline, revealDeadline);
        }
        bool ok = _count == 0 || _sales[_count - 1].cleared;
        if (ok) {
            uint256 id = _count++;
            uint256 maxWin = supply * maxShareBps / 10_000;
            if (maxWin == 0) maxWin = 1;
            (bool isOpen, uint256 periodId) = compliance.currentPeriod();
            if (!isOpen) periodId = NO_PERIOD;
            Sale storage sale = _sales[id];
            sale.supply = uint64(supply);
            sale.maxWin = uint64(maxWin);
            sale.reserveTick = uint16(reservePrice / TICK);
            sale.commitDeadline = uint40(commitDeadline);
            sale.revealDeadline = uint40(revealDeadline);
            sale.periodId = uint32(periodId);
            emit AuctionOpened(id, periodId, supply, reservePrice, maxWin, commitDeadline, revealDeadline);
        }
        emit OpenAuction(msg.sender, ok, ok ? "Auction opened" : "An auction is under way: clear it first");
    }

    // ---------------------------------------------------------------- bidders

    /// @notice The sender seals its bids in auction `id` (commitment: see commitmentOf) and puts
    /// the call's ether in escrow. Sealing again before the deadline replaces the commitment and
    /// adds to the escrow.
    /// @dev Requires the auction's commitment phase, a registered customer not frozen, a non-zero
    /// commitment, and some escrow: reverts otherwise (the call carries ether). Emits CommitBids
    /// "Bids sealed", and BidsCommitted with the escrow held.
    function commitBids(uint256 id, bytes32 commitment) external payable nonReentrant known(id) {
        Sale storage sale = _sales[id];
        if (block.timestamp > sale.commitDeadline) revert AuctionNotSealing(id, sale.commitDeadline);
        if (!market.customerRegistry().isRegistered(msg.sender)) revert AuctionNotCustomer(msg.sender);
        if (market.isFrozen(msg.sender)) revert AuctionFrozen(msg.sender);
        if (commitment == bytes32(0)) revert AuctionZeroCommitment();
        Bidder storage bidder = _bidders[id][msg.sender];
        uint256 escrow = bidder.escrow + msg.value;
        if (escrow == 0) revert AuctionZeroEscrow();
        if (escrow > type(uint128).max || sale.escrow + msg.value > type(uint128).max) revert AuctionEscrowOverflow();
        if (bidder.commitment == bytes32(0)) {
            sale.bidders++;
            _bidderList[id].push(msg.sender);
        }
        bidder.commitment = commitment;
        bidder.escrow = uint128(escrow);
        sale.escrow += uint128(msg.value);
        emit BidsCommitted(id, msg.sender, escrow);
        emit CommitBids(msg.sender, true, "Bids sealed");
    }

    /// @notice The sender reveals the bids it sealed in auction `id`: `quantities[i]` units at
    /// `prices[i]` wei a unit, prices falling, with the salt it sealed them with.
    /// @dev Emits RevealBids: "Bids revealed" / "Bids are revealed after the commitment deadline" /
    /// "The reveal deadline has passed" / "This account sealed no bids in this auction" / "The bids
    /// are revealed already" / "These are not the bids sealed" / "This account is frozen" / the rule
    /// the bids break ("Bids are 1 to 4, at falling prices, of at least a unit" / "A bid is under
    /// the reserve price or not in whole ticks" / "The bids are for more than one bidder may win" /
    /// "The escrow does not cover the bids"). A reveal that does not count changes nothing. Emits
    /// BidsRevealed with the bids.
    function revealBids(uint256 id, uint256[] calldata quantities, uint256[] calldata prices, bytes32 salt)
        external
        nonReentrant
        known(id)
    {
        Sale storage sale = _sales[id];
        Bidder storage bidder = _bidders[id][msg.sender];
        string memory failure;
        if (block.timestamp <= sale.commitDeadline) failure = "Bids are revealed after the commitment deadline";
        else if (block.timestamp > sale.revealDeadline) failure = "The reveal deadline has passed";
        else if (bidder.commitment == bytes32(0)) failure = "This account sealed no bids in this auction";
        else if (bidder.revealed) failure = "The bids are revealed already";
        else if (commitmentOf(id, msg.sender, quantities, prices, salt) != bidder.commitment) failure = "These are not the bids sealed";
        else if (market.isFrozen(msg.sender)) failure = "This account is frozen";
        else failure = _breach(sale, bidder.escrow, quantities, prices);

        bool ok = bytes(failure).length == 0;
        if (ok) _record(id, quantities, prices);
        emit RevealBids(msg.sender, ok, ok ? "Bids revealed" : failure);
    }

    /// @notice Clears auction `id` after its reveal deadline, walking at most `maxLevels` price
    /// levels from where the last call stopped (1 to MAX_CLEAR_LEVELS). Anyone may.
    /// @dev Emits ClearAuction: "Auction cleared" / "Auction partly cleared: clear it again" /
    /// "The auction clears after the reveal deadline" / "The auction is cleared already"; and, once
    /// cleared, AuctionCleared with the clearing price.
    function clearAuction(uint256 id, uint256 maxLevels) external nonReentrant known(id) returns (bool cleared) {
        if (maxLevels == 0 || maxLevels > MAX_CLEAR_LEVELS) maxLevels = MAX_CLEAR_LEVELS;
        Sale storage sale = _sales[id];
        string memory message;
        if (sale.cleared) message = "The auction is cleared already";
        else if (block.timestamp <= sale.revealDeadline) message = "The auction clears after the reveal deadline";
        if (bytes(message).length != 0) {
            emit ClearAuction(msg.sender, false, message);
            return false;
        }
        uint256 supply = sale.supply;
        uint256 above = sale.above;
        uint256 tick = sale.walking ? sale.cursor : _levels[id].highest();
        for (uint256 i = 0; i < maxLevels; i++) {
            if (tick == 0) {
                // The bids do not take the supply: every bid wins in full, at the reserve.
                (sale.clearingTick, cleared) = (sale.reserveTick, true);
                break;
            }
            uint256 quantity = _levelQuantity[id][tick];
            if (above + quantity >= supply) {
                sale.clearingTick = uint16(tick);
                sale.marginalQuantity = uint64(quantity);
                sale.marginalFill = uint64(supply - above);
                cleared = true;
                break;
            }
            above += quantity;
            tick = _levels[id].below(tick);
        }
        sale.above = uint64(above);
        if (cleared) {
            sale.cleared = true;
            emit AuctionCleared(id, uint256(sale.clearingTick) * TICK, sale.demand, sale.marginalQuantity, sale.marginalFill);
            emit ClearAuction(msg.sender, true, "Auction cleared");
        } else {
            (sale.cursor, sale.walking) = (uint16(tick), true);
            emit ClearAuction(msg.sender, true, "Auction partly cleared: clear it again");
        }
    }

    /// @notice Settles `account`'s bids in cleared auction `id`: issues what it won, takes the
    /// clearing price for each unit, and returns the rest of its escrow (to the caller at once when
    /// it is the account, else credited to it). Anyone may, so that a teacher can settle a class.
    /// @dev Emits SettleBidder: "Bids settled" / "Bids settled, nothing won: the market refused the
    /// quota (...)" / "The auction is not cleared yet" / "This account sealed no bids in this
    /// auction" / "The bids are settled already"; and BidderSettled. Reverts AuctionPaymentFailed
    /// if the caller is the account and refuses its ether.
    function settleBidder(uint256 id, address account) external nonReentrant known(id) {
        Sale storage sale = _sales[id];
        Bidder storage bidder = _bidders[id][account];
        string memory failure;
        if (!sale.cleared) failure = "The auction is not cleared yet";
        else if (bidder.commitment == bytes32(0)) failure = "This account sealed no bids in this auction";
        else if (bidder.settled) failure = "The bids are settled already";
        if (bytes(failure).length != 0) {
            emit SettleBidder(msg.sender, false, failure);
            return;
        }

        uint256 escrow = bidder.escrow;
        uint256 won = _won(sale, id, account, bidder);
        bidder.settled = true;
        bidder.escrow = 0;
        sale.escrow -= uint128(escrow);
        string memory refusal;
        if (won != 0) {
            refusal = market.issueFromAuction(account, won);
            if (bytes(refusal).length != 0) won = 0;
        }
        uint256 paid = won * sale.clearingTick * TICK;
        uint256 refund = escrow - paid;
        bidder.won = uint64(won);
        sale.issued += uint64(won);
        sale.revenue += uint128(paid);
        if (paid != 0) _credit(market.regulator(), paid);
        if (refund != 0 && msg.sender != account) _credit(account, refund);
        emit BidderSettled(id, account, won, paid, refund);
        // Settled either way: a winner the market refused is refunded in full, and the message says why.
        emit SettleBidder(
            msg.sender,
            true,
            bytes(refusal).length == 0 ? "Bids settled" : string.concat("Bids settled, nothing won: the market refused the quota (", refusal, ")")
        );
        if (refund != 0 && msg.sender == account) _pay(account, refund);
    }

    /// @notice Pays the caller the ether credited to it: refunds settled by others, and, for the
    /// regulator, the auctions' revenue. Allowed while frozen: the ether is the caller's own.
    /// @dev Emits WithdrawRefund: "Ether withdrawn" / "Nothing to withdraw". Reverts
    /// AuctionPaymentFailed if the caller refuses the ether (the credit stays).
    function withdrawRefund() external nonReentrant {
        uint256 amount = _credits[msg.sender];
        bool ok = amount != 0;
        if (ok) {
            _credits[msg.sender] = 0;
            _credited -= amount;
        }
        emit WithdrawRefund(msg.sender, ok, ok ? "Ether withdrawn" : "Nothing to withdraw");
        _pay(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice What a bidder seals: keccak256 of this contract, the auction, the bidder, its bids and
    /// a salt. A client computes it itself (asking a node would show the node the bids).
    function commitmentOf(
        uint256 id,
        address bidder,
        uint256[] calldata quantities,
        uint256[] calldata prices,
        bytes32 salt
    ) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), id, bidder, quantities, prices, salt));
    }

    function auctionCount() external view returns (uint256) {
        return _count;
    }

    function getAuction(uint256 id) external view known(id) returns (AuctionView memory view_) {
        Sale memory sale = _sales[id];
        view_.phase = _phase(sale);
        view_.periodId = sale.periodId;
        view_.supply = sale.supply;
        view_.reservePrice = uint256(sale.reserveTick) * TICK;
        view_.maxWin = sale.maxWin;
        view_.commitDeadline = sale.commitDeadline;
        view_.revealDeadline = sale.revealDeadline;
        view_.bidders = sale.bidders;
        view_.demand = sale.demand;
        view_.clearingPrice = sale.cleared ? uint256(sale.clearingTick) * TICK : 0;
        view_.marginalQuantity = sale.marginalQuantity;
        view_.marginalFill = sale.marginalFill;
        view_.issued = sale.issued;
        view_.revenue = sale.revenue;
        view_.escrow = sale.escrow;
    }

    function getBidder(uint256 id, address account) external view known(id) returns (BidderView memory view_) {
        Bidder memory bidder = _bidders[id][account];
        view_.committed = bidder.commitment != bytes32(0);
        view_.revealed = bidder.revealed;
        view_.settled = bidder.settled;
        view_.escrow = bidder.escrow;
        view_.won = bidder.won;
        view_.quantities = new uint256[](bidder.bidCount);
        view_.prices = new uint256[](bidder.bidCount);
        for (uint256 i = 0; i < bidder.bidCount; i++) {
            Bid memory bid = _bids[id][account][i];
            (view_.quantities[i], view_.prices[i]) = (bid.quantity, uint256(bid.tick) * TICK);
        }
    }

    /// @notice What `account` wins in cleared auction `id` and would pay for it, before it is settled
    /// (the market may still refuse to issue it); after, what it won and paid.
    function allocationOf(uint256 id, address account) external view known(id) returns (uint256 won, uint256 payment) {
        Sale memory sale = _sales[id];
        if (!sale.cleared) return (0, 0);
        Bidder memory bidder = _bidders[id][account];
        won = bidder.settled ? bidder.won : _won(sale, id, account, bidder);
        payment = won * sale.clearingTick * TICK;
    }

    /// @notice Up to `limit` price levels of auction `id`'s revealed bids from `offset` on, highest first.
    function levels(uint256 id, uint256 offset, uint256 limit) external view known(id) returns (LevelView[] memory page) {
        uint256 tick = _levels[id].highest();
        for (uint256 i = 0; i < offset && tick != 0; i++) tick = _levels[id].below(tick);
        uint256 length;
        for (uint256 t = tick; t != 0 && length < limit; t = _levels[id].below(t)) length++;
        page = new LevelView[](length);
        for (uint256 i = 0; i < length; i++) {
            page[i] = LevelView({price: tick * TICK, quantity: _levelQuantity[id][tick]});
            tick = _levels[id].below(tick);
        }
    }

    /// @notice Up to `limit` of auction `id`'s bidders from `offset` on, in the order they first sealed.
    function bidders(uint256 id, uint256 offset, uint256 limit) external view known(id) returns (address[] memory page) {
        address[] storage list = _bidderList[id];
        uint256 length = offset >= list.length ? 0 : (limit < list.length - offset ? limit : list.length - offset);
        page = new address[](length);
        for (uint256 i = 0; i < length; i++) page[i] = list[offset + i];
    }

    function withdrawable(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @notice The ether credited to anybody and not yet withdrawn.
    function withdrawableEther() external view returns (uint256) {
        return _credited;
    }

    // ---------------------------------------------------------------- internal

    function _phase(Sale memory sale) private view returns (Phase) {
        if (sale.supply == 0) return Phase.None;
        if (sale.cleared) return Phase.Cleared;
        if (block.timestamp <= sale.commitDeadline) return Phase.Commit;
        if (block.timestamp <= sale.revealDeadline) return Phase.Reveal;
        return Phase.Clearing;
    }

    /// @dev The rule revealed bids break, or "" when they keep every one.
    function _breach(Sale storage sale, uint256 escrow, uint256[] calldata quantities, uint256[] calldata prices)
        private
        view
        returns (string memory)
    {
        uint256 count = quantities.length;
        if (count == 0 || count > MAX_BIDS || prices.length != count) return "Bids are 1 to 4, at falling prices, of at least a unit";
        uint256 total;
        uint256 cost;
        for (uint256 i = 0; i < count; i++) {
            uint256 price = prices[i];
            if (quantities[i] == 0 || quantities[i] > type(uint64).max || (i > 0 && price >= prices[i - 1])) {
                return "Bids are 1 to 4, at falling prices, of at least a unit";
            }
            if (price % TICK != 0 || price < uint256(sale.reserveTick) * TICK || price > MAX_PRICE) {
                return "A bid is under the reserve price or not in whole ticks";
            }
            total += quantities[i];
            cost += quantities[i] * price;
        }
        if (total > sale.maxWin) return "The bids are for more than one bidder may win";
        if (cost > escrow) return "The escrow does not cover the bids";
        return "";
    }

    /// @dev Bids above the clearing price win in full; at it, a share of the marginal fill in
    /// proportion to the quantity (rounded down); under it, nothing. Every bid wins in full when the
    /// bids did not take the supply (marginalQuantity 0).
    function _won(Sale memory sale, uint256 id, address account, Bidder memory bidder) private view returns (uint256 won) {
        if (!bidder.revealed) return 0;
        for (uint256 i = 0; i < bidder.bidCount; i++) {
            Bid memory bid = _bids[id][account][i];
            if (sale.marginalQuantity == 0 || bid.tick > sale.clearingTick) won += bid.quantity;
            else if (bid.tick == sale.clearingTick) won += uint256(bid.quantity) * sale.marginalFill / sale.marginalQuantity;
        }
    }

    /// @dev Adds the sender's valid bids to the auction's price levels.
    function _record(uint256 id, uint256[] calldata quantities, uint256[] calldata prices) private {
        uint256 total;
        for (uint256 i = 0; i < quantities.length; i++) {
            uint256 tick = prices[i] / TICK;
            _bids[id][msg.sender][i] = Bid({quantity: uint64(quantities[i]), tick: uint16(tick)});
            if (_levelQuantity[id][tick] == 0) _levels[id].set(tick);
            _levelQuantity[id][tick] += quantities[i];
            total += quantities[i];
        }
        Bidder storage bidder = _bidders[id][msg.sender];
        bidder.bidCount = uint8(quantities.length);
        bidder.revealed = true;
        _sales[id].demand += uint64(total);
        emit BidsRevealed(id, msg.sender, quantities, prices);
    }

    function _credit(address account, uint256 amount) private {
        _credits[account] += amount;
        _credited += amount;
    }

    /// @dev Pays the caller its own ether, last in its call. Under the lock, the receiver cannot
    /// re-enter; if it refuses, only its own call is undone.
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert AuctionPaymentFailed(to, amount);
    }
}
