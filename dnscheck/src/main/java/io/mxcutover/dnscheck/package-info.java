package io.mxcutover.dnscheck;
