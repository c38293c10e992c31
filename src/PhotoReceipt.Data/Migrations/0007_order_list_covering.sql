-- "My orders" is the mini-program's most frequent read. Each user's orders lie scattered over the
-- heap (they are created weeks apart, between other users' orders), so reading a page of 20 from
-- the plain (user_id, created_at, id) index meant 20 heap pages and a sort. The list columns are
-- now carried in the index itself: a page is an index-only scan of one or two index pages, already
-- in order (heap pages are only visited for rows changed since the last vacuum).
--
-- Keep INCLUDE in step with OrderStore.ListForUserAsync's column list.
-- Built without CONCURRENTLY because migrations run in a transaction; the orders table is small
-- enough that the brief write lock is harmless.
CREATE INDEX orders_user_list_cov_idx ON orders (user_id, created_at DESC, id DESC)
    INCLUDE (order_no, product_id, status, price_fen, applicant_name_masked, image_number, updated_at);
DROP INDEX orders_user_list_idx;
