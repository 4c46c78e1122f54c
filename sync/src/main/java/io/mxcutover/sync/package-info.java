package io.mxcutover.sync;
