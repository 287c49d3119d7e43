import { SA_EAST_1_PRICES } from "./prices-sa-east-1";

/** One list price: what a unit costs, where it was read and when. */
export interface Price {
  /** US dollars per unit. */
  readonly usd: number;
  /** What the price is per, e.g. `hour`, `GB-month`, `1,000 requests`. */
  readonly unit: string;
  /** The page the price was read from. */
  readonly source: string;
  /** When it was read (ISO date). */
  readonly asOf: string;
}

/** The prices of one region, by item key (`ec2:m6i.large`, `nat-gateway:hour`, …). */
export type RegionPrices = Readonly<Record<string, Price>>;

/**
 * Every region the cost model can price, one place to update each: a region the environments may use and this table
 * lacks is refused with a message naming both. Prices are on-demand list prices in USD, without taxes, Savings Plans
 * or the free tier.
 */
export const PRICE_LISTS: Readonly<Record<string, RegionPrices>> = {
  "sa-east-1": SA_EAST_1_PRICES,
};

/** Where the price lists live, for messages. */
export const PRICE_LIST_SOURCE = "modules/cost/prices-<region>.ts";

/** Hours in the month the model prices (AWS bills by the hour; 730 = 8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Spot's discount on the On-Demand price, an assumption: Spot prices move with supply and demand, and AWS advertises
 * discounts of up to 90% (https://aws.amazon.com/ec2/spot/pricing/). The model assumes 60%; check the Spot Instance
 * Advisor (https://aws.amazon.com/ec2/spot/instance-advisor/) for the families the pipeline lists before relying on it.
 */
export const SPOT_DISCOUNT = 0.6;

/** The price of `item` in `region`; refuses a region or an item the tables lack, naming both. */
export function priceOf(region: string, item: string): Price {
  const prices = PRICE_LISTS[region];
  if (!prices) throw new Error(`the cost model has no prices for region ${region} (item ${item}): add ${PRICE_LIST_SOURCE.replace("<region>", region)}`);
  const price = prices[item];
  if (!price) throw new Error(`the cost model has no price for ${item} in ${region}: add it to ${PRICE_LIST_SOURCE.replace("<region>", region)}`);
  return price;
}
