// copies src/public into dist/public
