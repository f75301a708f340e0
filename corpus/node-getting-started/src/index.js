const express = require('express');
const app = express();

app.use(express.static(__dirname + '/static'));
app.get('/items', (req, res) => res.json([]));

app.listen(3000, () => console.log('Listening on port 3000'));
