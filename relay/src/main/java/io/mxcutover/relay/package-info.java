package io.mxcutover.relay;
