import { describe, expect, it } from 'vitest';
import { microUsdToRaw, rawToMicroUsd } from './amounts';
import { buildDepositRequest } from './deposit-request';
import { knownChains } from './catalog';
import { getAddress, isAddress } from 'viem';

describe('amount conversion', () => {
  it('maps 6-decimal tokens 1:1', () => {
    expect(rawToMicroUsd(12_500_000n, 6)).toBe(12_500_000n);
    expect(rawToMicroUsd(1n, 6)).toBe(1n);
    expect(microUsdToRaw(12_500_000n, 6)).toBe(12_500_000n);
  });

  it('divides 18-decimal amounts exactly and rounds sub-micro dust down', () => {
    expect(rawToMicroUsd(12_500_000_000_000_000_000n, 18)).toBe(12_500_000n);
    expect(rawToMicroUsd(1_999_999_999_999n, 18)).toBe(1n); // 1.999999999999 micro → 1: never more than received
    expect(rawToMicroUsd(999_999_999_999n, 18)).toBe(0n); // pure dust credits nothing
    expect(rawToMicroUsd(10n ** 30n + 1n, 18)).toBe(10n ** 18n); // beyond 2^53: BigInt stays exact
    expect(microUsdToRaw(1n, 18)).toBe(10n ** 12n);
  });

  it('handles fewer decimals and refuses bad input', () => {
    expect(rawToMicroUsd(5n, 2)).toBe(50_000n);
    expect(microUsdToRaw(1n, 2)).toBe(1n); // rounds up: the request never asks for less than the amount
    expect(() => rawToMicroUsd(-1n, 6)).toThrow(/negative/);
    expect(() => rawToMicroUsd(1n, 40)).toThrow(/decimals/);
  });
});

describe('catalog and deposit requests', () => {
  it('lists the six chains with checksummed USDC and USDT contracts', () => {
    const chains = knownChains();
    expect(chains.map((c) => c.chainId).sort((a, b) => a - b)).toEqual([1, 10, 56, 137, 8453, 42161]);
    for (const c of chains) {
      expect(c.tokens.map((t) => t.symbol).sort()).toEqual(['USDC', 'USDT']);
      for (const t of c.tokens) {
        expect(isAddress(t.contract) && getAddress(t.contract) === t.contract).toBe(true);
        expect(t.decimals).toBe(c.chainId === 56 ? 18 : 6);
      }
    }
  });

  it('builds an EIP-681 transfer request with the raw amount', () => {
    const chain = { chainId: 56, name: 'BNB Chain', treasury: '0x000000000000000000000000000000000000bEEF' } as never;
    const tokens = [{ symbol: 'USDT', contract: '0x55d398326f99059fF775485246999027B3197955' as const, decimals: 18 }];
    const r = buildDepositRequest(chain, tokens, 'usdt', 25_000_000);
    expect(r.eip681).toBe('ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=0x000000000000000000000000000000000000bEEF&uint256=25000000000000000000');
    expect(buildDepositRequest(chain, tokens, 'USDT').eip681).not.toContain('uint256');
    expect(() => buildDepositRequest(chain, tokens, 'USDC')).toThrow(/not configured/);
  });
});
