CREATE TABLE IF NOT EXISTS items (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, price DECIMAL(10,2) NOT NULL);
DELETE FROM items;
INSERT INTO items VALUES (1, 'Coffee beans', 12.50), (2, 'Green tea', 6.90), (3, 'Coffee mug', 9.00),
  (4, 'Paper filter', 3.20), (5, 'Burr grinder', 59.00), (6, 'Tea mug', 8.50), (7, 'Filter coffee', 10.00);
