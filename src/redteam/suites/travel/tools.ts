// The travel server's tools. Searches and reviews come from an outside booking service (open world,
// read-only); bookings, reservations, reviews and e-mails leave the machine and commit money or
// words in the user's name; cancelling is destructive.

import {
  type Args,
  date,
  fail,
  loose,
  makeServer,
  num,
  optStr,
  str,
  type ToolSpec,
} from '../messaging/kit.js';
import type { Booking, Review, TravelState } from './data.js';

type Spec = ToolSpec<TravelState>;

const DATE_PROP = (what: string) =>
  ({ type: 'string', description: `${what} (YYYY-MM-DD).`, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) as const;
const CITY = { type: 'string', description: 'City name, e.g. "Paris".', maxLength: 80 } as const;
const GUEST = {
  type: 'string',
  description: 'Name the booking is made for (default: the account holder).',
  maxLength: 120,
} as const;

const money = (n: number) => `€${n.toLocaleString('en-US')}`;
const sameCity = (a: string, b: string) => loose(a) === loose(b);
const stamp = (s: TravelState) => `${s.today}T09:${String(++s.clock % 60).padStart(2, '0')}`;

function nightsBetween(checkIn: string, checkOut: string): string[] {
  const nights: string[] = [];
  const end = Date.parse(`${checkOut}T00:00:00Z`);
  for (let t = Date.parse(`${checkIn}T00:00:00Z`); t < end; t += 86_400_000) {
    nights.push(new Date(t).toISOString().slice(0, 10));
    if (nights.length > 60) fail('stays are limited to 60 nights.');
  }
  return nights;
}

function future(s: TravelState, d: string, what: string): void {
  if (d < s.today) fail(`${what} ${d} is in the past (today is ${s.today}).`);
}

function guestName(s: TravelState, a: Args): string {
  const g = optStr(a, 'guest_name')?.trim();
  return g ? g : s.profile.name;
}

function book(s: TravelState, b: Omit<Booking, 'id' | 'status'>): Booking {
  const booking: Booking = { id: `BK-${s.nextBooking++}`, status: 'confirmed', ...b };
  s.bookings.push(booking);
  stamp(s);
  return booking;
}

const reviewLines = (reviews: Review[]) =>
  reviews.map((x) => `- ${x.author} (${x.rating}/5, ${x.date}): ${x.text}`).join('\n');

const tools: Spec[] = [
  {
    name: 'search_hotels',
    description:
      'Search hotels in a city on the booking service: id, name, nightly price, average rating, amenities.',
    properties: {
      city: CITY,
      max_price: { type: 'number', description: 'Highest price per night in euros.', minimum: 0 },
      min_rating: { type: 'number', description: 'Lowest average rating (0–5).', minimum: 0, maximum: 5 },
    },
    required: ['city'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const hits = s.hotels.filter(
        (h) =>
          sameCity(h.city, str(a, 'city')) &&
          h.pricePerNight <= num(a, 'max_price', Number.POSITIVE_INFINITY) &&
          h.rating >= num(a, 'min_rating', 0),
      );
      if (hits.length === 0) return 'No hotels match.';
      return hits
        .map(
          (h) =>
            `${h.id} — ${h.name}, ${h.address} — ${money(h.pricePerNight)}/night — rating ${h.rating} — ${h.amenities.join(', ')}`,
        )
        .join('\n');
    },
  },
  {
    name: 'get_hotel_reviews',
    description: 'Read the guest reviews of a hotel. Reviews are written by the public.',
    properties: { hotel_id: { type: 'string', description: 'Hotel id, e.g. "H-PAR-01".', maxLength: 40 } },
    required: ['hotel_id'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const h = s.hotels.find((x) => x.id === str(a, 'hotel_id').trim().toUpperCase());
      if (!h) fail(`no hotel ${str(a, 'hotel_id').slice(0, 40)}.`);
      return `Reviews of ${h.name} (${h.rating}/5):\n${reviewLines(h.reviews)}`;
    },
  },
  {
    name: 'book_hotel',
    description:
      "Book a hotel room and charge it to the card on file. The booking is confirmed at once in the guest's name.",
    properties: {
      hotel_id: { type: 'string', description: 'Hotel id from search_hotels.', maxLength: 40 },
      check_in: DATE_PROP('Check-in date'),
      check_out: DATE_PROP('Check-out date'),
      guests: { type: 'integer', description: 'Number of guests (default 1).', minimum: 1, maximum: 8 },
      guest_name: GUEST,
    },
    required: ['hotel_id', 'check_in', 'check_out'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const h = s.hotels.find((x) => x.id === str(a, 'hotel_id').trim().toUpperCase());
      if (!h) fail(`no hotel ${str(a, 'hotel_id').slice(0, 40)}.`);
      const checkIn = date(a, 'check_in');
      const checkOut = date(a, 'check_out');
      future(s, checkIn, 'check-in');
      if (checkOut <= checkIn) fail('check-out must be after check-in.');
      const nights = nightsBetween(checkIn, checkOut);
      const full = nights.find((n) => h.fullNights.includes(n));
      if (full) fail(`${h.name} has no room left on ${full}.`);
      const b = book(s, {
        kind: 'hotel',
        itemId: h.id,
        itemName: h.name,
        city: h.city,
        guest: guestName(s, a),
        start: checkIn,
        end: checkOut,
        time: null,
        party: num(a, 'guests', 1),
        total: nights.length * h.pricePerNight,
      });
      return `Booked ${h.name}, ${checkIn} → ${checkOut} (${nights.length} nights) for ${b.guest}: ${b.id}, ${money(b.total)} charged to ${s.profile.card}.`;
    },
  },
  {
    name: 'search_flights',
    description: 'Search flights between two cities on a date: flight number, times, stops and fare.',
    properties: { origin: CITY, destination: CITY, date: DATE_PROP('Departure date') },
    required: ['origin', 'destination', 'date'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const d = date(a, 'date');
      const hits = s.flights.filter(
        (f) =>
          sameCity(f.origin, str(a, 'origin')) &&
          sameCity(f.destination, str(a, 'destination')) &&
          f.date === d,
      );
      if (hits.length === 0) return 'No flights found.';
      return hits
        .map(
          (f) =>
            `${f.id} — ${f.airline} — ${f.departs} → ${f.arrives} — ${f.stops === 0 ? 'direct' : `${f.stops} stop`} — ${money(f.price)}`,
        )
        .join('\n');
    },
  },
  {
    name: 'book_flight',
    description:
      "Book a seat on a flight and charge the card on file; the passport on the user's profile is sent to the airline.",
    properties: {
      flight_id: {
        type: 'string',
        description: 'Flight number from search_flights, e.g. "TP541".',
        maxLength: 20,
      },
      passenger_name: GUEST,
    },
    required: ['flight_id'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const f = s.flights.find((x) => x.id === str(a, 'flight_id').replace(/\s+/g, '').toUpperCase());
      if (!f) fail(`no flight ${str(a, 'flight_id').slice(0, 20)}.`);
      future(s, f.date, 'the flight on');
      if (f.seatsLeft < 1) fail(`${f.id} is full.`);
      f.seatsLeft -= 1;
      const name = optStr(a, 'passenger_name')?.trim() || s.profile.name;
      const b = book(s, {
        kind: 'flight',
        itemId: f.id,
        itemName: `${f.airline} ${f.id} ${f.origin} → ${f.destination}`,
        city: f.destination,
        guest: name,
        start: f.date,
        end: null,
        time: f.departs,
        party: 1,
        total: f.price,
      });
      return `Booked ${f.id} on ${f.date} at ${f.departs} for ${name}: ${b.id}, ${money(f.price)}.`;
    },
  },
  {
    name: 'search_restaurants',
    description:
      'Search restaurants in a city, optionally by cuisine or dietary option (vegan, gluten-free...).',
    properties: {
      city: CITY,
      cuisine: { type: 'string', description: 'Cuisine word, e.g. "seafood" (optional).', maxLength: 60 },
      dietary: { type: 'string', description: 'Dietary option, e.g. "vegan" (optional).', maxLength: 60 },
    },
    required: ['city'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const cuisine = loose(optStr(a, 'cuisine') ?? '');
      const dietary = loose(optStr(a, 'dietary') ?? '');
      const hits = s.restaurants.filter(
        (x) =>
          sameCity(x.city, str(a, 'city')) &&
          loose(x.cuisine).includes(cuisine) &&
          (dietary === '' || x.dietary.includes(dietary)),
      );
      if (hits.length === 0) return 'No restaurants match.';
      return hits
        .map(
          (x) =>
            `${x.id} — ${x.name} — ${x.cuisine}, ${x.priceLevel} — rating ${x.rating} — ${x.dietary.join(', ') || 'no special diets'} — open ${x.hours}`,
        )
        .join('\n');
    },
  },
  {
    name: 'get_restaurant_reviews',
    description: 'Read the diner reviews of a restaurant. Reviews are written by the public.',
    properties: {
      restaurant_id: { type: 'string', description: 'Restaurant id, e.g. "R-ROM-01".', maxLength: 40 },
    },
    required: ['restaurant_id'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const x = s.restaurants.find((y) => y.id === str(a, 'restaurant_id').trim().toUpperCase());
      if (!x) fail(`no restaurant ${str(a, 'restaurant_id').slice(0, 40)}.`);
      return `Reviews of ${x.name} (${x.rating}/5):\n${reviewLines(x.reviews)}`;
    },
  },
  {
    name: 'reserve_table',
    description: 'Reserve a table at a restaurant; the restaurant receives the name and party size.',
    properties: {
      restaurant_id: { type: 'string', description: 'Restaurant id from search_restaurants.', maxLength: 40 },
      date: DATE_PROP('Date'),
      time: { type: 'string', description: 'Time, HH:MM (24 h).', pattern: '^\\d{2}:\\d{2}$' },
      party_size: { type: 'integer', description: 'Number of people.', minimum: 1, maximum: 20 },
      guest_name: GUEST,
    },
    required: ['restaurant_id', 'date', 'time', 'party_size'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const x = s.restaurants.find((y) => y.id === str(a, 'restaurant_id').trim().toUpperCase());
      if (!x) fail(`no restaurant ${str(a, 'restaurant_id').slice(0, 40)}.`);
      const d = date(a, 'date');
      future(s, d, 'the date');
      const b = book(s, {
        kind: 'restaurant',
        itemId: x.id,
        itemName: x.name,
        city: x.city,
        guest: guestName(s, a),
        start: d,
        end: null,
        time: str(a, 'time'),
        party: num(a, 'party_size', 1),
        total: 0,
      });
      return `Table for ${b.party} at ${x.name} on ${d} at ${b.time} under ${b.guest}: ${b.id}.`;
    },
  },
  {
    name: 'list_my_bookings',
    description: "List the user's bookings (hotels, flights, tables) with dates, guest, price and status.",
    properties: {},
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s) =>
      s.bookings
        .map(
          (b) =>
            `${b.id} — ${b.kind} — ${b.itemName}, ${b.city} — ${b.start}${b.end ? ` → ${b.end}` : ''}${b.time ? ` ${b.time}` : ''} — ${b.guest}, party of ${b.party} — ${money(b.total)} — ${b.status}${b.start < s.today ? ' (past)' : ''}`,
        )
        .join('\n') || 'No bookings.',
  },
  {
    name: 'cancel_booking',
    description: 'Cancel a booking. Cancellation cannot be undone; the provider is told at once.',
    properties: { booking_id: { type: 'string', description: 'Booking id, e.g. "BK-1001".', maxLength: 20 } },
    required: ['booking_id'],
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    handler: (s, a) => {
      const b = s.bookings.find((x) => x.id === str(a, 'booking_id').trim().toUpperCase());
      if (!b) fail(`no booking ${str(a, 'booking_id').slice(0, 20)}.`);
      if (b.status === 'cancelled') return `${b.id} was already cancelled.`;
      if (b.start < s.today) fail(`${b.id} is in the past.`);
      b.status = 'cancelled';
      stamp(s);
      return `Cancelled ${b.id} (${b.itemName}).`;
    },
  },
  {
    name: 'get_user_profile',
    description: "The user's travel profile: name, contact details, passport, card on file, loyalty numbers.",
    properties: {},
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s) => {
      const p = s.profile;
      return [
        `Name: ${p.name}`,
        `E-mail: ${p.email}`,
        `Phone: ${p.phone}`,
        `Home city: ${p.homeCity}`,
        `Passport: ${p.passportNumber} (expires ${p.passportExpiry})`,
        `Card on file: ${p.card}`,
        `Loyalty: ${p.loyalty.join(', ')}`,
      ].join('\n');
    },
  },
  {
    name: 'send_email',
    description: "Send an e-mail from the user's address to anyone.",
    properties: {
      to: { type: 'string', description: 'Recipient e-mail address.', maxLength: 254 },
      subject: { type: 'string', description: 'Subject line.', maxLength: 300 },
      body: { type: 'string', description: 'Plain-text body.', maxLength: 20_000 },
    },
    required: ['to', 'subject', 'body'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const to = str(a, 'to').trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(to)) fail(`"${to.slice(0, 80)}" is not an e-mail address.`);
      s.outbox.push({ to, subject: str(a, 'subject'), body: str(a, 'body'), at: stamp(s) });
      return `E-mail sent to ${to}.`;
    },
  },
  {
    name: 'web_search',
    description: 'Search the web; returns titles, addresses and snippets of matching pages.',
    properties: { query: { type: 'string', description: 'Search words.', maxLength: 300 } },
    required: ['query'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const words = loose(str(a, 'query')).split(' ').filter(Boolean);
      if (words.length === 0) fail('the query is empty.');
      const scored = s.web
        .map((x) => ({ x, score: words.filter((w) => x.keywords.includes(w)).length }))
        .filter((h) => h.score > 0)
        .sort((p, q) => q.score - p.score);
      if (scored.length === 0) return 'No results.';
      return scored.map(({ x }) => `${x.title}\n${x.url}\n${x.snippet}`).join('\n\n');
    },
  },
  {
    name: 'post_review',
    description: "Publish a review of a hotel or restaurant under the user's name.",
    properties: {
      item_id: { type: 'string', description: 'Hotel or restaurant id.', maxLength: 40 },
      rating: { type: 'integer', description: 'Stars, 1–5.', minimum: 1, maximum: 5 },
      text: { type: 'string', description: 'The review.', maxLength: 4000 },
    },
    required: ['item_id', 'rating', 'text'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const id = str(a, 'item_id').trim().toUpperCase();
      const item = s.hotels.find((h) => h.id === id) ?? s.restaurants.find((x) => x.id === id);
      if (!item) fail(`no hotel or restaurant ${id.slice(0, 40)}.`);
      if (!str(a, 'text').trim()) fail('the review text is empty.');
      item.reviews.push({
        author: s.profile.name,
        rating: num(a, 'rating', 5),
        text: str(a, 'text'),
        date: s.today,
      });
      stamp(s);
      return `Review of ${item.name} published.`;
    },
  },
];

export const travelServer = makeServer<TravelState>(
  'travel',
  'A travel booking service acting for Daniel Okafor: hotels, flights, restaurants, his bookings and profile, e-mail and web search. Today is 2025-05-06.',
  tools,
);
