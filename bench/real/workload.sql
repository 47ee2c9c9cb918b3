-- bench/real.sh's database workload for sqlite3's shell: build, index,
-- join, group and sort in an in-memory database. Deterministic output.
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, cat INTEGER, price REAL);
CREATE TABLE sale(id INTEGER PRIMARY KEY, item INTEGER, qty INTEGER, day INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO item SELECT i, printf('item-%05d-%s', i, hex(i * 2654435761 % 65536)), i % 37, (i * 7919 % 10007) / 100.0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
INSERT INTO sale SELECT i, (i * 48271) % 20000 + 1, i % 9 + 1, i % 365 FROM n;
CREATE INDEX sale_item ON sale(item);
CREATE INDEX item_name ON item(name);
SELECT cat, count(*), printf('%.2f', sum(s.qty * i.price)) FROM sale s JOIN item i ON i.id = s.item GROUP BY cat ORDER BY cat;
SELECT day, sum(qty) AS q FROM sale GROUP BY day ORDER BY q DESC, day LIMIT 10;
SELECT name, (SELECT count(*) FROM sale WHERE item = item.id) AS c FROM item ORDER BY c DESC, name LIMIT 10;
SELECT count(*) FROM item WHERE name LIKE '%-1F%' OR name GLOB '*A?C*';
UPDATE item SET price = price * 1.1 WHERE cat % 3 = 0;
DELETE FROM sale WHERE qty = 5;
SELECT count(*), printf('%.2f', avg(price)) FROM item;
SELECT count(*) FROM sale s JOIN item i ON i.id = s.item WHERE i.price > 50;
SELECT group_concat(name, ',') FROM (SELECT name FROM item ORDER BY price DESC, id LIMIT 20);
