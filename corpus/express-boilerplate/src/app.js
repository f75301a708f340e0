const express = require('express');

const app = express();
app.get('/v1/health', (req, res) => res.send('ok'));

module.exports = app;
